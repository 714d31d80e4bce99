import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadDataset } from '../data/load.js';
import type { ImageRecord } from '../data/types.js';
import type { LabelBox } from '../labels/types.js';
import { readBoxes, writeBoxes, indexBoxes, datasetSizes } from '../labels/formats/index.js';
import { maskDataset } from '../variants/mask-dataset.js';
import { Model } from '../engine/index.js';
import { train, scoreRecords, writeScores, studySplits, profileSettings, BEST_WEIGHTS, TrainConfigSchema, type TrainConfig, type ScoredImage, type Profile } from '../train/index.js';
import { writeSplitFile } from '../train/split-file.js';
import { letterbox } from '../data/letterbox.js';
import { camRecords, STUDY_ATTENTION } from '../explain/run-cam.js';
import { summariseAttention, type AttentionSummary } from '../explain/summary.js';
import { counterfactual, type CounterfactualResult, type Scorer } from '../explain/counterfactual.js';
import { writeJsonAtomic } from '../util/atomic.js';
import { ARMS, DEFAULT_ARMS, type ArmName } from './arms.js';
import { StepLog } from './steps.js';
import { compareArm, type ArmComparison } from './compare-arms.js';
import { findLabels, type BoxSource, type DetectorSummary, type DetectorError } from './labels-step.js';
import { makePhantom, type PhantomOptions } from './phantom-step.js';
import { describeDataset, type DatasetSummary } from './dataset-summary.js';
import { versions } from './versions.js';
import { attributeEffect, type Attribution } from './attribution.js';
import { renderReport } from '../report/index.js';

export type { Profile };

export interface StudyOptions {
  out: string;
  /** Dataset folder; the built-in phantom is generated when absent. */
  data?: string;
  /** Label boxes file, or 'truth' for the data's own labels.coco.json; otherwise the detector finds them. */
  boxes?: string;
  /** Use the detector's boxes even on the phantom (whose true boxes are the default there). */
  detect?: boolean;
  profile?: Profile;
  arms?: readonly ArmName[];
  seed?: number;
  margin?: number;
  /** Compute threads in all (default: every core). */
  threads?: number;
  /** Arms trained at the same time (default: one per core on a CPU with the quick profile). */
  parallel?: number;
  /** Overrides of the profile's training settings. */
  train?: Partial<TrainConfig>;
  phantom?: PhantomOptions;
  /** Test images given CAM overlays on disk per arm (all get measured). */
  overlays?: number;
}

export interface ArmResult extends ArmComparison {
  name: ArmName;
  description: string;
  val_auc: number;
  best_epoch: number;
  /** Mean share of saliency mass (STUDY_ATTENTION) inside label boxes over test images with boxes, bootstrap 95% CI. */
  label_attention: number;
  label_attention_ci: [number, number];
  pointing_game: number;
  pointing_game_ci: [number, number];
  /** Share of the image the boxes cover: what an evenly spread map would give. */
  attention_chance: number;
  attention_n: number;
  attention_by_category: AttentionSummary['by_category'];
  /** The same share under plain Grad-CAM at the final layer, for comparison with the paper's pictures. */
  gradcam_final_label_attention: number | null;
  gradcam_final_label_attention_ci: [number, number] | null;
}

export interface StudyResults {
  tool: string;
  created: string;
  config: Record<string, unknown>;
  dataset: DatasetSummary;
  detector: DetectorSummary | DetectorError | null;
  arms: ArmResult[];
  /** The original model's cover test: the covered effect's numbers at top level, the control under random_cover. */
  counterfactual: (CounterfactualResult['covered'] & Omit<CounterfactualResult, 'images' | 'covered'>) | null;
  by_category: CategoryResults;
  versions: Record<string, string>;
  timings: Record<string, number>;
}

/**
 * Yi et al.'s study on any dataset: train one model per arm (original, covered, labels-only, random-cover
 * control, optional per-category covers) on the same patient split and seed, compare each with the original
 * by paired DeLong tests, measure label attention with Grad-CAM, and run the counterfactual cover test on the
 * original model. Every step is resumable; results.json and report.html end it.
 */
export async function runStudy(opts: StudyOptions): Promise<StudyResults> {
  const out = resolve(opts.out);
  const seed = opts.seed ?? 0;
  const profile: Profile = opts.profile ?? 'quick';
  const arms = [...new Set<ArmName>(['original', ...(opts.arms ?? DEFAULT_ARMS)])];
  const margin = opts.margin ?? 2;
  const log = await StepLog.open(out);
  const trainCfg = profileSettings(profile, { seed, ...opts.train });
  // The settings every arm trains with, defaults filled in once (CAM and the counterfactual need size/mean/std).
  const modelCfg = TrainConfigSchema.parse(trainCfg);
  const cores = opts.threads ?? availableParallelism();
  // On a GPU (paper profile) arms train one after another with every thread; on a CPU, side by side.
  const parallel = opts.parallel ?? (trainCfg.device === 'cuda' || profile === 'paper' ? 1 : Math.max(1, Math.min(cores, arms.length)));
  const trainThreads = Math.max(1, Math.floor(cores / parallel));

  // 1. Data: the user's, or the phantom.
  const dataDir = opts.data ? resolve(opts.data) : join(out, 'data');
  const phantom = opts.data ? null : await log.run('phantom', () => makePhantom(dataDir, { seed, ...opts.phantom }));
  const ds = await loadDataset(dataDir);
  if (ds.records.length === 0) throw new Error(`${dataDir}: no usable images`);
  const splits = studySplits(ds.records, seed);

  // 2. Labels: given boxes, or the detector (scored against the truth when the data has one).
  const boxesPath = join(out, 'boxes.coco.json');
  // With no boxes named: the phantom's true boxes (the detector is scored on the side), else the detector.
  const source: BoxSource = opts.boxes === 'truth' || (!opts.boxes && !opts.detect && !opts.data) ? { kind: 'truth' }
    : opts.boxes ? { kind: 'file', path: opts.boxes } : { kind: 'detect' };
  const labels = await log.run('labels', () => findLabels(ds, source, boxesPath, dataDir, splits.test));
  const boxes: LabelBox[] = await readBoxes(boxesPath);
  const boxIndex = indexBoxes(boxes);

  // 3. Arms: a masked copy of the dataset each.
  for (const arm of arms) {
    const spec = ARMS[arm];
    if (!spec.mode) continue;
    await log.run(`arm:${arm}`, async () => {
      let armBoxes = boxesPath;
      if (spec.categories) {
        armBoxes = join(out, 'arms', `${arm}.boxes.coco.json`);
        await writeBoxes(armBoxes, boxes.filter((b) => spec.categories!.includes(b.category)), 'coco', await datasetSizes(ds));
      }
      const summary = await maskDataset({ data: dataDir, boxes: armBoxes, out: armDir(out, arm), mode: spec.mode!, margin, seed });
      for (const issue of summary.issues.slice(0, 5)) process.stderr.write(`arm ${arm}: skipped ${issue.file}: ${issue.message}\n`);
      return { written: summary.written, skipped: summary.skipped, failed: summary.failed };
    });
  }
  const armData = (arm: ArmName) => (arm === 'original' ? dataDir : armDir(out, arm));
  const listed = new Map<ArmName, Promise<SplitRecords>>();
  const recordsOf = (arm: ArmName) => {
    if (!listed.has(arm)) listed.set(arm, armRecords(armData(arm), splits));
    return listed.get(arm)!;
  };
  // The arms are compared image by image: an image an arm could not be made for leaves every arm.
  const excluded = await log.run('pairing', async () => {
    const missing = new Set<string>();
    for (const arm of arms) {
      if (arm === 'original') continue;
      const have = new Set((await loadDataset(armData(arm), { verify: 'none' })).records.map((r) => r.id));
      for (const r of ds.records) if (!have.has(r.id)) missing.add(r.id);
    }
    return [...missing].sort();
  });
  if (excluded.length) {
    process.stderr.write(`${excluded.length} image(s) could not be made in every arm and are left out of all arms\n`);
    const drop = new Set(excluded);
    for (const k of ['train', 'valid', 'test'] as const) splits[k] = splits[k].filter((r) => !drop.has(r.id));
  }

  // 4-5. Train each arm on the same split, then score its own test images. Arms train side by side, one
  // libtorch thread each: small DenseNets scale poorly across threads, so this uses the cores better.
  const scores = new Map<ArmName, ScoredImage[]>();
  const trained = new Map<ArmName, { val_auc: number; best_epoch: number }>();
  const trainOne = async (arm: ArmName) => {
    const runDir = join(out, 'runs', arm);
    const records = await recordsOf(arm);
    trained.set(arm, await log.run(`train:${arm}`, async () => {
      await writeSplitFile(runDir, { ...records, how: splits.how });
      const r = await train({ train: records.train, valid: records.valid, name: arm }, runDir, { ...trainCfg, threads: trainThreads }, true);
      return { val_auc: r.bestAuc, best_epoch: r.bestEpoch };
    }));
  };
  await inPool(arms, parallel, trainOne);
  for (const arm of arms) {
    const runDir = join(out, 'runs', arm);
    const records = await recordsOf(arm);
    const scorePath = join(out, 'scores', `${arm}.csv`);
    scores.set(arm, await log.run(`predict:${arm}`, async () => {
      const rows = await scoreRecords(runDir, records.test, cores);
      await writeScores(scorePath, rows);
      return rows;
    }));
  }

  // 6-7. Compare with the original arm, and measure where each model looks.
  const results: ArmResult[] = [];
  for (const arm of arms) {
    const cmp = compareArm(scores.get(arm)!, arm === 'original' ? undefined : scores.get('original'), arm);
    const attention = await log.run(`cam:${arm}`, async () => {
      const runDir = join(out, 'runs', arm);
      const records = (await recordsOf(arm)).test;
      using model = await Model.load(join(runDir, BEST_WEIGHTS), { threads: cores });
      const per = await camRecords(model, records, boxIndex, {
        size: modelCfg.size, mean: modelCfg.mean, std: modelCfg.std, ...STUDY_ATTENTION, outDir: join(out, 'cam', arm), maxFiles: opts.overlays ?? 24,
      });
      await writeJsonAtomic(join(out, 'cam', arm, 'attention.json'), per);
      // Plain Grad-CAM at the final layer as well, as the paper looked (reported, not used for conclusions).
      const gradcam = await camRecords(model, records, boxIndex, { size: modelCfg.size, mean: modelCfg.mean, std: modelCfg.std, method: 'gradcam', baseline: 'none' });
      return { ...summariseAttention(per, seed), gradcam_final: summariseAttention(gradcam, seed) };
    });
    results.push({
      name: arm, description: ARMS[arm].description, ...trained.get(arm)!, ...cmp,
      label_attention: attention.label_attention, label_attention_ci: attention.label_attention_ci,
      pointing_game: attention.pointing_game, pointing_game_ci: attention.pointing_game_ci,
      attention_chance: attention.chance, attention_n: attention.n, attention_by_category: attention.by_category,
      gradcam_final_label_attention: attention.gradcam_final?.label_attention ?? null,
      gradcam_final_label_attention_ci: attention.gradcam_final?.label_attention_ci ?? null,
    });
  }

  // 8. Counterfactual cover test on the original model (and per category when labels have categories).
  const cf = await log.run('counterfactual', () => counterfactualOf(out, modelCfg, splits.test, boxIndex, seed, margin, cores));

  const summary: StudyResults = {
    tool: 'confound',
    created: new Date().toISOString(),
    config: { profile, seed, margin, attention: STUDY_ATTENTION, arms, parallel, threads_per_arm: trainThreads, data: opts.data ?? null, boxes: source.kind === 'file' ? source.path : source.kind, split: splits.how, train: trainCfg, phantom: phantom ?? null },
    dataset: { ...(await describeDataset(ds, splits, boxIndex)), excluded_from_arms: excluded.length },
    detector: labels,
    arms: results,
    counterfactual: flattenCounterfactual(cf.all),
    by_category: byCategory(results, cf.all, cf.categories),
    versions: await versions(),
    timings: log.timings,
  };
  await writeJsonAtomic(join(out, 'results.json'), summary);
  await renderReport(out);
  return summary;
}

/** Run `work` over items with at most `limit` in flight; the first failure rejects after the others settle. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item).catch((e) => { errors.push(e); next = items.length; });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (errors.length) throw errors[0];
}

function armDir(out: string, arm: ArmName): string { return join(out, 'arms', arm); }

type SplitRecords = { train: ImageRecord[]; valid: ImageRecord[]; test: ImageRecord[] };

/** The same split's records, looked up by id in an arm's (masked) copy of the data. */
async function armRecords(dir: string, splits: SplitRecords): Promise<SplitRecords> {
  const ds = await loadDataset(dir, { verify: 'none' });
  const byId = new Map(ds.records.map((r) => [r.id, r]));
  const map = (rs: ImageRecord[]) => rs.map((r) => {
    const x = byId.get(r.id);
    if (!x) throw new Error(`${dir}: image ${r.id} is missing from this arm`);
    return { ...r, path: x.path };
  });
  return { train: map(splits.train), valid: map(splits.valid), test: map(splits.test) };
}


type CounterfactualSummary = Omit<CounterfactualResult, 'images'>;

function withoutImages(r: CounterfactualResult): CounterfactualSummary {
  const { images: _images, ...rest } = r;
  return rest;
}

function flattenCounterfactual(r: CounterfactualSummary): StudyResults['counterfactual'] {
  const { covered, ...rest } = r;
  return { ...covered, ...rest };
}

async function counterfactualOf(out: string, cfg: TrainConfig, test: ImageRecord[], boxes: ReadonlyMap<string, readonly LabelBox[]>, seed: number, margin: number, threads?: number) {
  using model = await Model.load(join(out, 'runs', 'original', BEST_WEIGHTS), { threads });
  const scorer: Scorer = {
    batchSize: 16,
    prepare: (img) => letterbox(img, cfg.size, { normalize: { mean: cfg.mean, std: cfg.std } }).image.data,
    score: (batch, n) => model.predict(batch, { n, height: cfg.size, width: cfg.size }),
  };
  const all = await counterfactual(scorer, test, boxes, { margin, seed });
  await writeJsonAtomic(join(out, 'counterfactual.json'), all);
  const categories: Record<string, CounterfactualSummary> = {};
  const present = new Set([...boxes.values()].flat().map((b) => b.category));
  if (present.size > 1) {
    for (const cat of [...present].sort()) {
      categories[cat] = withoutImages(await counterfactual(scorer, test, boxes, { margin, seed, categories: [cat] }));
    }
  }
  return { all: withoutImages(all), categories };
}

export interface CategoryResults {
  arms: { arm: string; auc: number; ci: [number, number]; p_vs_original: number | null; share_of_covered_effect: number | null }[];
  counterfactual: Record<string, CounterfactualSummary>;
  attention: AttentionSummary['by_category'];
  attribution: Attribution | null;
}

function byCategory(arms: ArmResult[], all: CounterfactualSummary, cf: Record<string, CounterfactualSummary>): CategoryResults {
  const original = arms.find((a) => a.name === 'original');
  const covered = arms.find((a) => a.name === 'covered');
  const perArm = arms.filter((a) => a.name.startsWith('cover-')).map((a) => ({
    arm: a.name, auc: a.auc, ci: a.ci, p_vs_original: a.p_vs_original,
    // Share of the covered arm's AUC change that covering this category alone reproduces.
    share_of_covered_effect: original && covered && covered.auc !== original.auc ? (a.auc - original.auc) / (covered.auc - original.auc) : null,
  }));
  const armShares = Object.fromEntries(perArm.map((a) => [a.arm.slice('cover-'.length), a.share_of_covered_effect]));
  return {
    arms: perArm, counterfactual: cf, attention: original?.attention_by_category ?? {},
    attribution: Object.keys(cf).length ? attributeEffect(all, cf, armShares) : null,
  };
}

export async function readResults(dir: string): Promise<StudyResults> {
  const path = join(dir, 'results.json');
  if (!existsSync(path)) throw new Error(`${path}: not found; run \`confound study --out ${dir}\` first`);
  return JSON.parse(await readFile(path, 'utf8')) as StudyResults;
}
