import { join } from 'node:path';
import { loadDataset, type DatasetFormat } from '../data/index.js';
import { checkOutputFolder } from '../util/index.js';
import { acquireLock } from '../util/index.js';
import { readImageOrSkip } from '../data/index.js';
import type { ImageRecord, LoadIssue } from '../data/index.js';
import { counterfactual, type CounterfactualResult } from '../explain/index.js';
import { overlayRgb, encodeRgbPng } from '../explain/index.js';
import type { LabelBox } from '../labels/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/index.js';
import { Rng } from '../util/index.js';
import { progress } from '../util/index.js';
import { auditBoxes, type BoxSource } from './boxes.js';
import { camAttention, type CamAttentionResult } from './cam.js';
import { checkChoice } from '../util/index.js';
import { readCamWeights, weightRow } from './cam-weights.js';
import { occlusionAttention, resolveOcclusion, type OcclusionImageResult, type OcclusionOptions } from './occlusion.js';
import { OnnxScorer, type OnnxScorerOptions } from './onnx-scorer.js';
import type { AuditScorer, ScorerInfo } from './scores.js';
import { isTorchScriptPath, TorchScriptScorer } from './torchscript-scorer.js';
import { gradientAttention, type GradientImageResult } from './gradient-map.js';
import { gradCamAttention } from './grad-cam.js';
import type { Device } from '../engine/index.js';
import { summariseShares, type AttentionShareSummary } from './attention-summary.js';
import { verdictOf, DEFAULT_RULE, type Verdict, type VerdictRule } from './verdict.js';
import type { ControlMode } from '../variants/index.js';
import { auditReportHtml } from './report.js';

export interface AuditOptions {
  /** Read files a manifest names outside its folder. */
  allowOutside?: boolean;
  model: string;
  data: string;
  dataFormat?: DatasetFormat;
  /** Only records of this split (default: all). */
  split?: 'train' | 'valid' | 'test';
  boxes: BoxSource;
  out: string;
  /** Model reading and preprocessing (ONNX and TorchScript alike; output names and CAM are ONNX-only). */
  scorer?: OnnxScorerOptions;
  /** TorchScript models: cpu (default) or cuda. */
  device?: Device;
  margin?: number;
  seed?: number;
  categories?: readonly string[];
  /** Occlusion maps for at most this many images with boxes (0 skips it; default 16). */
  occlusionImages?: number;
  occlusion?: OcclusionOptions;
  cam?: { output: string; weights: string };
  /** TorchScript models: Grad-CAM at this submodule (dotted name, e.g. "features"). */
  camLayer?: string;
  rule?: Partial<Omit<VerdictRule, 'name'>>;
  /** Where the control covers go (default 'location'). */
  control?: ControlMode;
  /** Overlay PNGs written for at most this many images (default 6). */
  overlays?: number;
}

export interface AuditSummary {
  reliance: Verdict['reliance'];
  verdict: Verdict;
  model: ScorerInfo;
  data: {
    path: string;
    format: string;
    records: number;
    with_boxes: number;
    skipped: LoadIssue[];
    box_source: 'file' | 'detector';
    detect_failed: number;
  };
  counterfactual: Omit<CounterfactualResult, 'images'>;
  occlusion: (AttentionShareSummary & { window: number; stride: number; images: OcclusionImageResult[] }) | null;
  cam: (AttentionShareSummary & { output: string; weights: string; images: CamAttentionResult[] }) | null;
  /** Windowed input x gradient label attention (TorchScript models: libtorch gives the gradient). */
  gradient:
    | (AttentionShareSummary & {
        method: 'windowed-input-x-gradient';
        window: number;
        stride: number;
        images: GradientImageResult[];
      })
    | null;
  /** Grad-CAM at a named submodule of a TorchScript model, for each image's predicted class. */
  gradcam: (AttentionShareSummary & { layer: string; target: 'predicted'; images: CamAttentionResult[] }) | null;
  overlays: { id: string; file: string; kind: OverlayKind }[];
  settings: { margin: number; seed: number; categories: readonly string[] | null; control: ControlMode };
}

type OverlayKind = 'occlusion' | 'cam' | 'gradient' | 'gradcam';

export const AUDIT_JSON = 'audit.json';
export const AUDIT_HTML = 'report.html';

function stem(id: string): string {
  return id.replace(/[\\/]/g, '__').replace(/\.[^.]+$/, '');
}

/** A seeded sample of k records, kept in dataset order. */
function sample<T>(items: readonly T[], k: number, seed: number): T[] {
  if (items.length <= k) return [...items];
  const rng = new Rng(`${seed}:audit-sample`);
  const idx = items.map((_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = rng.int(i, idx.length - 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, k)
    .sort((a, b) => a - b)
    .map((i) => items[i]);
}

/** A --cam-layer that names no submodule: the error names the model, the closest name and the top-level parts. */
function checkLayer(scorer: TorchScriptScorer, layer: string): void {
  const layers = scorer.layers();
  try {
    checkChoice('cam layer', layer, layers);
  } catch (err) {
    const hint = /\(did you mean "[^"]*"\?\)/.exec((err as Error).message)?.[0] ?? '';
    const top = layers.filter((l) => !l.includes('.'));
    throw new Error(
      `${scorer.path}: --cam-layer "${layer}" is no submodule of the model ${hint}; ` +
        `top-level submodules: ${top.join(', ') || 'none'}`,
    );
  }
}

/**
 * Audit a user's classifier (ONNX, or TorchScript through libtorch) for label reliance: the counterfactual cover
 * test against its control covers, occlusion label attention, CAM attention when an ONNX model exposes its feature
 * map, windowed input x gradient and Grad-CAM (--cam-layer) attention for TorchScript, and the verdict (verdict.ts).
 * Writes out/audit.json and out/report.html (overlays under out/overlays/).
 */
export async function runAudit(opts: AuditOptions): Promise<AuditSummary> {
  const seed = opts.seed ?? 0,
    margin = opts.margin ?? 2;
  const ds = await loadDataset(opts.data, { format: opts.dataFormat, allowOutside: opts.allowOutside });
  await checkOutputFolder(opts.out, [
    { what: 'dataset', path: opts.data },
    { what: 'dataset folder', path: ds.root },
  ]);
  using _lock = await acquireLock(opts.out, `audit --out ${opts.out}`);
  const records: ImageRecord[] = opts.split ? ds.records.filter((r) => r.split === opts.split) : ds.records;
  if (records.length === 0)
    throw new Error(`${opts.data}: no usable images${opts.split ? ` in split "${opts.split}"` : ''}`);
  const torchscript = isTorchScriptPath(opts.model);
  if (torchscript && opts.cam)
    throw new Error(
      `${opts.model}: --cam-output/--cam-weights read an ONNX output; ` +
        'for a TorchScript model name a submodule with --cam-layer',
    );
  if (!torchscript && opts.camLayer)
    throw new Error(
      `${opts.model}: --cam-layer names a TorchScript submodule; for an ONNX model give --cam-output and --cam-weights`,
    );
  const scorer: AuditScorer = torchscript
    ? await TorchScriptScorer.load(opts.model, { ...opts.scorer, device: opts.device })
    : await OnnxScorer.load(opts.model, opts.scorer);
  try {
    if (opts.camLayer && scorer instanceof TorchScriptScorer) checkLayer(scorer, opts.camLayer);
    const found = await auditBoxes(ds, records, opts.boxes);
    const pick = (id: string): LabelBox[] =>
      (found.boxes.get(id) ?? []).filter((b) => !opts.categories || opts.categories.includes(b.category));
    const withBoxes = records.filter((r) => pick(r.id).length > 0);
    if (withBoxes.length === 0)
      throw new Error(
        `${opts.boxes.file ?? 'detector'}: no image of ${opts.data} has a label box${opts.categories ? ` of category ${opts.categories.join('/')}` : ''}`,
      );

    const control = opts.control ?? 'location';
    const cf = await counterfactual(scorer, withBoxes, found.boxes, {
      margin,
      seed,
      categories: opts.categories,
      control,
    });
    const verdict = verdictOf(cf, { ...DEFAULT_RULE, ...opts.rule }, seed);
    const overlays: AuditSummary['overlays'] = [];
    const overlayUris = new Map<string, string>();
    const maxOverlays = opts.overlays ?? 6;
    const S = scorer.preprocess.size;
    const writeOverlay = async (
      id: string,
      kind: OverlayKind,
      gray: Float32Array,
      map: Float32Array,
      boxes: readonly LabelBox[],
    ) => {
      if (overlays.filter((o) => o.kind === kind).length >= maxOverlays) return;
      const file = join('overlays', `${kind}-${stem(id)}.png`);
      const png = await encodeRgbPng(overlayRgb(gray, map, S, S, boxes), S, S);
      await writeFileAtomic(join(opts.out, file), png);
      overlayUris.set(file, `data:image/png;base64,${png.toString('base64')}`);
      overlays.push({ id, file, kind });
    };

    /** Images resized to the model's input, with their boxes in model pixels. */
    const resizedItems = async (chosen: readonly ImageRecord[]) =>
      (
        await Promise.all(
          chosen.map(async (r) => {
            const img = await readImageOrSkip(r);
            if (!img) return [];
            const resized = scorer.resize(img);
            return [{ id: r.id, gray: resized.gray, boxes: pick(r.id).map((b) => resized.toModel(b)) }];
          }),
        )
      ).flat();

    let occlusion: AuditSummary['occlusion'] = null;
    const nOcc = opts.occlusionImages ?? 16;
    const { window, stride } = resolveOcclusion(S, opts.occlusion ?? {});
    if (nOcc > 0) {
      const chosen = sample(withBoxes, nOcc, seed);
      const rows: OcclusionImageResult[] = [];
      const bar = progress('occlusion', chosen.length);
      for (const r of chosen) {
        const img = await readImageOrSkip(r);
        if (!img) {
          bar.tick();
          continue;
        }
        const o = await occlusionAttention(scorer, r.id, img, pick(r.id), { window, stride });
        rows.push(o.result);
        await writeOverlay(r.id, 'occlusion', o.gray, o.map.map, o.modelBoxes);
        bar.tick();
      }
      bar.stop();
      const s = summariseShares(rows, `${seed}:occlusion`);
      occlusion = s ? { ...s, window, stride, images: rows } : null;
    }

    let gradient: AuditSummary['gradient'] = null;
    if (scorer instanceof TorchScriptScorer && nOcc > 0) {
      const items = await resizedItems(sample(withBoxes, nOcc, seed));
      const { results, maps } = await gradientAttention(scorer, items, { window, stride });
      for (let i = 0; i < items.length; i++)
        await writeOverlay(items[i].id, 'gradient', items[i].gray, maps[i], items[i].boxes);
      const s = summariseShares(results, `${seed}:gradient`);
      gradient = s ? { ...s, method: 'windowed-input-x-gradient', window, stride, images: results } : null;
    }

    let gradcam: AuditSummary['gradcam'] = null;
    if (scorer instanceof TorchScriptScorer && opts.camLayer) {
      const items = await resizedItems(withBoxes);
      const { results, maps } = await gradCamAttention(scorer, opts.camLayer, items);
      for (let i = 0; i < items.length; i++)
        await writeOverlay(items[i].id, 'gradcam', items[i].gray, maps[i], items[i].boxes);
      const s = summariseShares(results, `${seed}:gradcam`);
      gradcam = s ? { ...s, layer: opts.camLayer, target: 'predicted', images: results } : null;
    }

    let cam: AuditSummary['cam'] = null;
    if (opts.cam && scorer instanceof OnnxScorer) {
      if (!scorer.outputNames.includes(opts.cam.output))
        throw new Error(
          `${opts.model}: no output named "${opts.cam.output}" for CAM (outputs: ${scorer.outputNames.join(', ')})`,
        );
      const w = await readCamWeights(opts.cam.weights);
      const row = weightRow(w, scorer.info().output_index, opts.cam.weights);
      const items = await resizedItems(withBoxes);
      const { results, maps } = await camAttention(scorer, opts.cam.output, row, items);
      for (let i = 0; i < items.length; i++)
        await writeOverlay(items[i].id, 'cam', items[i].gray, maps[i], items[i].boxes);
      const s = summariseShares(results, `${seed}:cam`);
      cam = s ? { ...s, output: opts.cam.output, weights: opts.cam.weights, images: results } : null;
    }
    for (const [name, s] of [
      ['occlusion', occlusion],
      ['CAM', cam],
      ['windowed input x gradient', gradient],
      [`Grad-CAM (${opts.camLayer})`, gradcam],
    ] as const) {
      if (s)
        verdict.evidence.push(
          `${name}: ${(100 * s.label_attention).toFixed(1)}% of the positive map lies on the labels vs ${(100 * s.chance).toFixed(1)}% by chance (x${s.ratio.toFixed(1)}, signed-rank ${s.p < 1e-4 ? 'p < 0.0001' : `p = ${s.p.toPrecision(3)}`}, ${s.n} images)`,
        );
    }

    const { images, ...cfSummary } = cf;
    const summary: AuditSummary = {
      reliance: verdict.reliance,
      verdict,
      model: scorer.info(),
      data: {
        path: opts.data,
        format: ds.format,
        records: records.length,
        with_boxes: withBoxes.length,
        skipped: ds.issues,
        box_source: found.source,
        detect_failed: found.failed.length,
      },
      counterfactual: cfSummary,
      occlusion,
      cam,
      gradient,
      gradcam,
      overlays,
      settings: { margin, seed, categories: opts.categories ?? null, control },
    };
    await writeJsonAtomic(join(opts.out, AUDIT_JSON), { ...summary, counterfactual_images: images });
    await writeFileAtomic(join(opts.out, AUDIT_HTML), auditReportHtml(summary, overlayUris));
    return summary;
  } finally {
    await scorer.close();
  }
}
