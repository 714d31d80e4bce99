import type { Scorer } from '../engine/index.js';
import { readImage } from '../data/read-image.js';
import type { ImageRecord } from '../data/types.js';
import type { LabelBox } from '../labels/types.js';
import { applyVariant } from '../variants/apply.js';
import { delongPaired } from '../stats/delong.js';
import { Rng } from '../util/rng.js';
import { progress } from '../util/progress.js';

export type { Scorer };

export interface EffectSummary {
  /** Mean |p(variant) - p(original)| over images with at least one box. */
  mean_abs_delta: number;
  /** Share of those images whose decision at 0.5 changes. */
  flip_rate: number;
  /** Mean of p(variant) - p(original): the direction of the change. */
  mean_delta: number;
}

export interface CounterfactualResult {
  /** Images scored (those with at least one label box). */
  n: number;
  covered: EffectSummary;
  /** The control: same number and sizes of black boxes away from the labels. */
  random_cover: EffectSummary;
  auc_original?: number;
  auc_covered?: number;
  auc_random_cover?: number;
  /** Paired DeLong test, AUC(original images) vs AUC(covered images), two-sided. */
  z?: number;
  p?: number;
  p_random_cover?: number;
  /** Per image: id, label, p original, p covered, p random-cover. */
  images: { id: string; label?: 0 | 1; p_original: number; p_covered: number; p_random_cover: number }[];
}

export interface CounterfactualOptions {
  margin?: number;
  seed?: number;
  /** Only cover boxes of these categories (per-category analysis); the control then uses the same boxes. */
  categories?: readonly string[];
}

function summarise(orig: Float32Array, variant: Float32Array): EffectSummary {
  let abs = 0, flips = 0, delta = 0;
  for (let i = 0; i < orig.length; i++) {
    const d = variant[i] - orig[i];
    abs += Math.abs(d); delta += d;
    if ((orig[i] > 0.5) !== (variant[i] > 0.5)) flips++;
  }
  const n = Math.max(1, orig.length);
  return { mean_abs_delta: abs / n, flip_rate: flips / n, mean_delta: delta / n };
}

/**
 * The counterfactual cover test for one trained model, no retraining: score each test image as it is,
 * with its label boxes blacked out, and with the same boxes moved to random label-free places (control).
 * A model that reads the labels changes its answers when they are covered, and much less for the control.
 */
export async function counterfactual(scorer: Scorer, records: readonly ImageRecord[], boxes: ReadonlyMap<string, readonly LabelBox[]>, opts: CounterfactualOptions = {}): Promise<CounterfactualResult> {
  const pick = (id: string) => (boxes.get(id) ?? []).filter((b) => !opts.categories || opts.categories.includes(b.category));
  const items = records.filter((r) => pick(r.id).length > 0);
  if (items.length === 0) throw new Error('counterfactual: no test image has a label box to cover');
  const n = items.length;
  const p = { original: new Float32Array(n), covered: new Float32Array(n), random: new Float32Array(n) };
  const rng = new Rng(opts.seed ?? 0);
  const bar = progress('counterfactual', n);
  for (let start = 0; start < n; start += scorer.batchSize) {
    const chunk = items.slice(start, start + scorer.batchSize);
    const inputs: Float32Array[][] = [[], [], []];
    await Promise.all(chunk.map(async (r, k) => {
      const img = await readImage(r.path);
      const bs = pick(r.id);
      inputs[0][k] = scorer.prepare(img);
      inputs[1][k] = scorer.prepare(applyVariant(img, bs, 'cover', { margin: opts.margin }));
      inputs[2][k] = scorer.prepare(applyVariant(img, bs, 'random-cover', { margin: opts.margin, rng: rng.fork(r.id) }));
    }));
    const targets = [p.original, p.covered, p.random];
    for (let v = 0; v < 3; v++) {
      const plane = inputs[v][0].length;
      const batch = new Float32Array(chunk.length * plane);
      inputs[v].forEach((x, k) => batch.set(x, k * plane));
      targets[v].set(await scorer.score(batch, chunk.length), start);
    }
    bar.tick(chunk.length);
  }
  bar.stop();
  const result: CounterfactualResult = {
    n, covered: summarise(p.original, p.covered), random_cover: summarise(p.original, p.random),
    images: items.map((r, i) => ({ id: r.id, label: r.label, p_original: p.original[i], p_covered: p.covered[i], p_random_cover: p.random[i] })),
  };
  const labelled = items.every((r) => r.label !== undefined);
  const labels = items.map((r) => r.label ?? 0);
  const positives = labels.filter((l) => l === 1).length;
  // DeLong's variance needs two cases of each class; with fewer, the AUC test is left out.
  if (labelled && positives >= 2 && labels.length - positives >= 2) {
    const t = delongPaired(labels, p.original, p.covered);
    const c = delongPaired(labels, p.original, p.random);
    Object.assign(result, { auc_original: t.auc1, auc_covered: t.auc2, auc_random_cover: c.auc2, z: t.z, p: t.p, p_random_cover: c.p });
  }
  return result;
}
