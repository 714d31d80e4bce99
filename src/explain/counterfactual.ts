import type { Scorer } from '../engine/index.js';
import { readImageOrSkip } from '../data/index.js';
import type { ImageRecord, LoadIssue } from '../data/index.js';
import type { LabelBox } from '../labels/index.js';
import { applyVariant, controlBoxes, coverRects, NoRoomError, type ControlMode } from '../variants/index.js';
import { delongPaired } from '../stats/index.js';
import { Rng } from '../util/index.js';
import { progress } from '../util/index.js';

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
  /** The control: same number and sizes of black boxes away from the labels, placed as `control` says. */
  random_cover: EffectSummary;
  /** How the control boxes were placed (location-matched, or anywhere away from the labels). */
  control: ControlMode;
  /** Images left out because their labels leave no room for a control box, each named. */
  no_room: { id: string; path: string; message: string }[];
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
  /** Images that do not decode are left out and added here (named on stderr when absent). */
  skipped?: LoadIssue[];
  /** Where the control covers go (default 'location': matched to the labels' edge distance and anatomy share). */
  control?: ControlMode;
}

function summarise(orig: Float32Array, variant: Float32Array): EffectSummary {
  let abs = 0,
    flips = 0,
    delta = 0;
  for (let i = 0; i < orig.length; i++) {
    const d = variant[i] - orig[i];
    abs += Math.abs(d);
    delta += d;
    if (orig[i] > 0.5 !== variant[i] > 0.5) flips++;
  }
  const n = Math.max(1, orig.length);
  return { mean_abs_delta: abs / n, flip_rate: flips / n, mean_delta: delta / n };
}

/**
 * The counterfactual cover test for one trained model, no retraining: score each test image as it is,
 * with its label boxes blacked out, and with the same boxes moved to label-free places matched to the lab's location (control).
 * A model that reads the labels changes its answers when they are covered, and much less for the control.
 */
export async function counterfactual(
  scorer: Scorer,
  records: readonly ImageRecord[],
  boxes: ReadonlyMap<string, readonly LabelBox[]>,
  opts: CounterfactualOptions = {},
): Promise<CounterfactualResult> {
  const pick = (id: string) =>
    (boxes.get(id) ?? []).filter((b) => !opts.categories || opts.categories.includes(b.category));
  const candidates = records.filter((r) => pick(r.id).length > 0);
  if (candidates.length === 0) throw new Error('counterfactual: no test image has a label box to cover');
  const items: ImageRecord[] = [];
  const p = { original: [] as number[], covered: [] as number[], random: [] as number[] };
  const rng = new Rng(opts.seed ?? 0);
  const control = opts.control ?? 'location';
  const noRoom: CounterfactualResult['no_room'] = [];
  const bar = progress('counterfactual', candidates.length);
  const readBatch = (start: number) => {
    const batch = Promise.all(
      candidates
        .slice(start, start + scorer.batchSize)
        .map(async (r) => ({ r, img: await readImageOrSkip(r, opts.skipped) })),
    );
    batch.catch(() => undefined); // rethrown where it is awaited; not unhandled if an earlier batch fails first
    return batch;
  };
  let next = readBatch(0);
  for (let start = 0; start < candidates.length; start += scorer.batchSize) {
    const read = await next;
    // The next batch decodes (sharp, off the main thread) while this one is prepared and scored.
    if (start + scorer.batchSize < candidates.length) next = readBatch(start + scorer.batchSize);
    const chunk = read.filter((x): x is { r: ImageRecord; img: NonNullable<typeof x.img> } => x.img !== null);
    bar.tick(read.length);
    if (chunk.length === 0) continue;
    const prepared = chunk.map(({ r, img }) => {
      const bs = pick(r.id);
      try {
        const margin = opts.margin ?? 0;
        const ctrl = controlBoxes(img, bs, control, rng.fork(r.id), margin);
        const variants = [bs, ctrl].map((b) => ({
          image: applyVariant(img, b, 'cover', { margin }),
          changed: coverRects(b, margin, img.width, img.height).map((c) => ({
            x: c.x0,
            y: c.y0,
            w: c.x1 - c.x0,
            h: c.y1 - c.y0,
          })),
        }));
        const inputs = scorer.prepareVariants
          ? scorer.prepareVariants(img, variants)
          : [img, ...variants.map((v) => v.image)].map((im) => scorer.prepare(im));
        return { r, inputs };
      } catch (err) {
        if (!(err instanceof NoRoomError)) throw err;
        noRoom.push({ id: r.id, path: r.path, message: err.message });
        return null;
      }
    });
    const ok = prepared.filter((x) => x !== null);
    if (ok.length === 0) continue;
    const targets = [p.original, p.covered, p.random];
    for (let v = 0; v < 3; v++) {
      const plane = ok[0].inputs[v].length;
      const batch = new Float32Array(ok.length * plane);
      ok.forEach((x, k) => {
        batch.set(x.inputs[v], k * plane);
      });
      targets[v].push(...(await scorer.score(batch, ok.length)));
    }
    items.push(...ok.map((x) => x.r));
  }
  bar.stop();
  if (items.length === 0) {
    throw new Error(
      noRoom.length
        ? `counterfactual: no image left room for a control box (${noRoom.length} skipped, e.g. ${noRoom[0].path})`
        : 'counterfactual: none of the test images with label boxes could be read',
    );
  }
  const n = items.length;
  const orig = Float32Array.from(p.original),
    covered = Float32Array.from(p.covered),
    random = Float32Array.from(p.random);
  const result: CounterfactualResult = {
    n,
    covered: summarise(orig, covered),
    random_cover: summarise(orig, random),
    control,
    no_room: noRoom,
    images: items.map((r, i) => ({
      id: r.id,
      label: r.label,
      p_original: orig[i],
      p_covered: covered[i],
      p_random_cover: random[i],
    })),
  };
  const labelled = items.every((r) => r.label !== undefined);
  const labels = items.map((r) => r.label ?? 0);
  const positives = labels.filter((l) => l === 1).length;
  // DeLong's variance needs two cases of each class; with fewer, the AUC test is left out.
  if (labelled && positives >= 2 && labels.length - positives >= 2) {
    const t = delongPaired(labels, orig, covered);
    const c = delongPaired(labels, orig, random);
    Object.assign(result, {
      auc_original: t.auc1,
      auc_covered: t.auc2,
      auc_random_cover: c.auc2,
      z: t.z,
      p: t.p,
      p_random_cover: c.p,
    });
  }
  return result;
}
