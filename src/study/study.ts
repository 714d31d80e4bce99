import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { loadDataset, printSkipped } from '../data/index.js';
import { readBoxes, writeBoxes, indexBoxes, datasetSizes } from '../labels/index.js';
import { dicomCrossCheck } from '../labels/index.js';
import { maskDataset } from '../variants/index.js';
import {
  trainInChild,
  scoreRecords,
  writeScores,
  studySplits,
  profileSettings,
  type TrainConfig,
  type ScoredImage,
  type Profile,
} from '../train/index.js';
import { writeSplitFile } from '../train/index.js';
import { STUDY_ATTENTION } from '../explain/index.js';
import { ARMS, DEFAULT_ARMS, type ArmName } from './arms.js';
import { StepLog } from './steps.js';
import { checkOutputFolder } from '../util/index.js';
import { acquireLock } from '../util/index.js';
import { findLabels, type BoxSource } from './labels-step.js';
import { makePhantom, type PhantomOptions } from './phantom-step.js';
import { describeDataset } from './dataset-summary.js';
import { versions } from './versions.js';
import { datasetFingerprint, fileKey } from './data-step.js';
import { ArmListings } from './arm-data.js';
import { attentionStep } from './attention-step.js';
import { counterfactualStep } from './counterfactual-step.js';
import { armResult, byCategory, counterfactualResult } from './results.js';
import { studyVerdict } from './verdict.js';
import { STUDY_SCHEMA, studyPaths, writeResults, type ArmResult, type StudyResults } from './folder.js';
import { resolveDevice, type DeviceChoice } from '../engine/index.js';

export type { Profile };

export interface StudyOptions {
  out: string;
  /** Dataset folder or CSV manifest; the built-in phantom is generated when absent. */
  data?: string;
  /** Label boxes file, or 'truth' for the data's own labels.coco.json; otherwise the detector finds them. */
  boxes?: string;
  /** Use the detector's boxes even on the phantom (whose true boxes are the default there). */
  detect?: boolean;
  profile?: Profile;
  arms?: readonly ArmName[];
  seed?: number;
  margin?: number;
  /** Where models train and run (default auto: CUDA when the engine has it and a GPU is visible). */
  device?: DeviceChoice;
  /** Compute threads in all (default: every core). */
  threads?: number;
  /** Arms trained at the same time (default: one per core on a CPU with the quick profile). */
  parallel?: number;
  /** Overrides of the profile's training settings. */
  train?: Partial<TrainConfig>;
  phantom?: PhantomOptions;
  /** Test images given CAM overlays on disk per arm (all get measured). */
  overlays?: number;
  /** A finished step whose settings changed is redone (with every step after it) instead of stopping the study. */
  restartChanged?: boolean;
  /** Read files a manifest names outside its folder (refused by default). */
  allowOutside?: boolean;
}

/**
 * Yi et al.'s study on any dataset: train one model per arm (original, covered, labels-only, random-cover
 * control, optional per-category covers) on the same patient split and seed, compare each with the original
 * by paired DeLong tests, measure label attention with Grad-CAM, and run the counterfactual cover test on the
 * original model. Every step is resumable and keyed by its settings; results.json (src/study/folder.ts) ends it.
 */
export async function runStudy(opts: StudyOptions): Promise<StudyResults> {
  // Never inside the data; one run at a time per study folder (RELIABILITY.md).
  const realOut = await checkOutputFolder(opts.out, opts.data ? [{ what: 'dataset', path: opts.data }] : []);
  using _lock = await acquireLock(realOut, `study --out ${opts.out}`);
  const paths = studyPaths(opts.out);
  const seed = opts.seed ?? 0;
  const profile: Profile = opts.profile ?? 'quick';
  const arms = [...new Set<ArmName>(['original', ...(opts.arms ?? DEFAULT_ARMS)])];
  const margin = opts.margin ?? 2;
  const overlays = opts.overlays ?? 24;
  const log = await StepLog.open(paths.root, paths.steps, { restartChanged: opts.restartChanged });
  const device = resolveDevice(opts.device ?? opts.train?.device ?? 'auto');
  const trainCfg = profileSettings(profile, { seed, ...opts.train, device });
  const cores = opts.threads ?? availableParallelism();
  // On a GPU (paper profile) arms train one after another with every thread; on a CPU, side by side.
  const parallel =
    opts.parallel ?? (device !== 'cpu' || profile === 'paper' ? 1 : Math.max(1, Math.min(cores, arms.length)));
  const trainThreads = Math.max(1, Math.floor(cores / parallel));

  // 1. Data: the user's, or the phantom.
  const dataDir = opts.data ? resolve(opts.data) : paths.phantom;
  const phantomSettings = { seed, ...opts.phantom };
  const phantom = opts.data
    ? null
    : await log.run('phantom', phantomSettings, () => makePhantom(dataDir, phantomSettings), { outputs: [dataDir] });
  const ds = await loadDataset(dataDir, { allowOutside: opts.allowOutside });
  printSkipped(ds.issues);
  if (ds.records.length === 0) throw new Error(`${dataDir}: no usable images`);
  const data = await datasetFingerprint(ds);
  const splits = studySplits(ds.records, seed);

  // 2. Labels: given boxes, or the detector (scored against the truth when the data has one).
  // With no boxes named: the phantom's true boxes (the detector is scored on the side), else the detector.
  const source: BoxSource =
    opts.boxes === 'truth' || (!opts.boxes && !opts.detect && !opts.data)
      ? { kind: 'truth' }
      : opts.boxes
        ? { kind: 'file', path: resolve(opts.boxes) }
        : { kind: 'detect' };
  const boxesInput = source.kind === 'file' ? await fileKey(source.path) : null;
  const detector = await log.run(
    'labels',
    { data, source, boxes: boxesInput, seed },
    () => findLabels(ds, source, paths.boxes, dataDir, splits.test),
    { outputs: [paths.boxes] },
  );
  const boxes = await readBoxes(paths.boxes);
  const boxIndex = indexBoxes(boxes);
  const labelsKey = log.keyOf('labels');

  // 3. Arms: a masked copy of the dataset each.
  const armData = (arm: ArmName) => (arm === 'original' ? dataDir : paths.armData(arm));
  const armKey = (arm: ArmName) => (arm === 'original' ? data : log.keyOf(`arm:${arm}`));
  for (const arm of arms) {
    const spec = ARMS[arm];
    if (!spec.mode) continue;
    const settings = { labels: labelsKey, mode: spec.mode, categories: spec.categories ?? null, margin, seed };
    await log.run(
      `arm:${arm}`,
      settings,
      async () => {
        let armBoxes = paths.boxes;
        if (spec.categories) {
          armBoxes = paths.armBoxes(arm);
          await writeBoxes(
            armBoxes,
            boxes.filter((b) => spec.categories!.includes(b.category)),
            'coco',
            await datasetSizes(ds),
          );
        }
        // DICOM stays DICOM in the arms (same ids, so the arms pair image by image); other files keep their format.
        const summary = await maskDataset({
          data: dataDir,
          boxes: armBoxes,
          out: armData(arm),
          mode: spec.mode!,
          margin,
          seed,
          format: 'dicom',
          allowOutside: opts.allowOutside,
        });
        for (const issue of summary.issues.slice(0, 5))
          process.stderr.write(`arm ${arm}: skipped ${issue.file}: ${issue.message}\n`);
        return { written: summary.written, skipped: summary.skipped, failed: summary.failed };
      },
      { outputs: [armData(arm), paths.armBoxes(arm)] },
    );
  }
  const listings = new ArmListings(armData);
  // The arms are compared image by image: an image an arm could not be made for leaves every arm.
  const excluded = await log.run('pairing', { arms: arms.map(armKey) }, async () => {
    const missing = new Set<string>();
    for (const arm of arms) {
      if (arm === 'original') continue;
      const have = await listings.byId(arm);
      for (const r of ds.records) if (!have.has(r.id)) missing.add(r.id);
    }
    return [...missing].sort();
  });
  if (excluded.length) {
    process.stderr.write(
      `${excluded.length} image(s) could not be made in every arm and are left out of all arms: ${excluded.slice(0, 5).join(', ')}${excluded.length > 5 ? ', ...' : ''}\n`,
    );
    const drop = new Set(excluded);
    for (const k of ['train', 'valid', 'test'] as const) splits[k] = splits[k].filter((r) => !drop.has(r.id));
  }
  const pairingKey = log.keyOf('pairing');

  // 4-5. Train each arm on the same split, then score its own test images. Arms train side by side, one
  // libtorch thread each: small DenseNets scale poorly across threads, so this uses the cores better.
  // Thread counts and the device are left out of the keys: they change speed, not what is computed.
  const { threads: _threads, device: _device, ...trainSettings } = trainCfg;
  const trained = new Map<ArmName, { val_auc: number; best_epoch: number }>();
  const trainOne = async (arm: ArmName) => {
    const runDir = paths.run(arm);
    trained.set(
      arm,
      await log.run(
        `train:${arm}`,
        { arm: armKey(arm), pairing: pairingKey, train: trainSettings },
        async () => {
          const records = await listings.records(arm, splits);
          await writeSplitFile(runDir, { ...records, how: splits.how });
          // A child process per arm: arms side by side cannot change each other's arithmetic (train/child.ts).
          const r = await trainInChild(
            { train: records.train, valid: records.valid, name: arm },
            runDir,
            { ...trainCfg, threads: trainThreads },
            true,
          );
          return { val_auc: r.bestAuc, best_epoch: r.bestEpoch };
        },
        { outputs: [runDir] },
      ),
    );
  };
  await inPool(arms, parallel, trainOne);
  const scores = new Map<ArmName, ScoredImage[]>();
  for (const arm of arms) {
    scores.set(
      arm,
      await log.run(
        `predict:${arm}`,
        { train: log.keyOf(`train:${arm}`) },
        async () => {
          const rows = await scoreRecords(
            paths.run(arm),
            (await listings.records(arm, splits)).test,
            cores,
            undefined,
            device,
          );
          await writeScores(paths.scores(arm), rows);
          return rows;
        },
        { outputs: [paths.scores(arm)] },
      ),
    );
  }

  // 6-7. Compare with the original arm, and measure where each model looks.
  const results: ArmResult[] = [];
  for (const arm of arms) {
    const settings = {
      train: log.keyOf(`train:${arm}`),
      labels: labelsKey,
      attention: STUDY_ATTENTION,
      overlays,
      seed,
    };
    const attention = await log.run(
      `cam:${arm}`,
      settings,
      async () =>
        attentionStep({
          runDir: paths.run(arm),
          camDir: paths.cam(arm),
          attentionFile: paths.attention(arm),
          test: (await listings.records(arm, splits)).test,
          boxes: boxIndex,
          seed,
          overlays,
          threads: cores,
          device,
        }),
      { outputs: [paths.cam(arm)] },
    );
    results.push(
      armResult(
        arm,
        scores.get(arm)!,
        arm === 'original' ? undefined : scores.get('original'),
        trained.get(arm)!,
        attention,
      ),
    );
  }

  // 8. Counterfactual cover test on the original model (and per category when labels have categories).
  const cf = await log.run(
    'counterfactual',
    { train: log.keyOf('train:original'), labels: labelsKey, margin, seed },
    () =>
      counterfactualStep({
        runDir: paths.run('original'),
        outFile: paths.counterfactual,
        test: splits.test,
        boxes: boxIndex,
        seed,
        margin,
        threads: cores,
        device,
      }),
    { outputs: [paths.counterfactual] },
  );

  const summary: StudyResults = {
    schema: STUDY_SCHEMA,
    tool: 'confound',
    created: new Date().toISOString(),
    config: {
      profile,
      device,
      world_size: 1,
      seed,
      margin,
      attention: STUDY_ATTENTION,
      arms,
      parallel,
      threads_per_arm: trainThreads,
      data: opts.data ? dataDir : null,
      boxes: source.kind === 'file' ? source.path : source.kind,
      split: splits.how,
      train: trainCfg,
      phantom: phantom ?? null,
      overlays,
    },
    dataset: {
      ...(await describeDataset(ds, splits, boxIndex)),
      excluded_from_arms: excluded.length,
      excluded_ids: excluded,
    },
    detector,
    dicom_checks: await dicomCrossCheck(ds.records, boxes),
    arms: results,
    counterfactual: counterfactualResult(cf),
    by_category: byCategory(results, cf),
    verdict: studyVerdict(results, cf.verdict.reliance),
    versions: await versions(),
    timings: log.timings,
  };
  await writeResults(paths.root, summary);
  return summary;
}

/** Run `work` over items with at most `limit` in flight; the first failure rejects after the others settle. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item).catch((e) => {
        errors.push(e);
        next = items.length;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (errors.length) throw errors[0];
}
