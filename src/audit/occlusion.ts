import type { GrayImage } from '../data/index.js';
import type { LabelBox } from '../labels/index.js';
import { labelAttention } from '../explain/index.js';
import { checkInt } from '../util/index.js';
import type { AuditScorer } from './scores.js';

export interface OcclusionOptions {
  /** Square window side in model-input pixels (default: size / 8, at least 4). */
  window?: number;
  /** Step between windows (default: window / 2). */
  stride?: number;
}

export interface OcclusionMap {
  /** size x size: mean |change in logit| over the windows covering each pixel. */
  map: Float32Array;
  size: number;
  p: number;
  windows: number;
}

/** Window start positions covering 0..size, the last one flush with the edge. */
function starts(size: number, window: number, stride: number): number[] {
  const out: number[] = [];
  for (let s = 0; s + window < size; s += stride) out.push(s);
  out.push(Math.max(0, size - window));
  return out;
}

/** Top-left corners [x, y] of the square windows that tile a size x size input, row by row. */
export function windowPositions(size: number, window: number, stride: number): (readonly [number, number])[] {
  const xs = starts(size, window, stride);
  return xs.flatMap((y) => xs.map((x) => [x, y] as const));
}

/** A map whose pixels hold the mean of values[j] over the windows j covering them (0 where none does). */
export function spreadOverWindows(
  size: number,
  window: number,
  positions: readonly (readonly [number, number])[],
  values: ArrayLike<number>,
): Float32Array {
  const sum = new Float64Array(size * size),
    count = new Uint32Array(size * size);
  positions.forEach(([x0, y0], j) => {
    for (let y = y0; y < y0 + window; y++) {
      for (let x = x0; x < x0 + window; x++) {
        sum[y * size + x] += values[j];
        count[y * size + x]++;
      }
    }
  });
  const map = new Float32Array(size * size);
  for (let i = 0; i < map.length; i++) map[i] = count[i] ? sum[i] / count[i] : 0;
  return map;
}

export function resolveOcclusion(size: number, opts: OcclusionOptions): { window: number; stride: number } {
  const window = checkInt('occlusion window', opts.window ?? Math.max(4, Math.round(size / 8)), 1, size);
  const stride = checkInt('occlusion stride', opts.stride ?? Math.max(1, Math.round(window / 2)), 1, size);
  return { window, stride };
}

const CLIP = 1e-6;
function logit(p: number): number {
  const q = Math.min(1 - CLIP, Math.max(CLIP, p));
  return Math.log(q / (1 - q));
}

/**
 * Model-agnostic saliency (Zeiler & Fergus, "Visualizing and understanding convolutional networks", ECCV 2014):
 * slide a black (0) window over the resized image, score each occluded copy, and spread the change
 * |logit p(original) - logit p(occluded)| over the window's pixels, averaged where windows overlap. The magnitude,
 * not the drop: a binary score moves either way (covering a marker that says "normal" raises p), and in logits,
 * so a model whose answers stay near 0.5 or near 0 or 1 is mapped alike.
 */
export async function occlusionMap(
  scorer: AuditScorer,
  gray: Float32Array,
  opts: OcclusionOptions = {},
): Promise<OcclusionMap> {
  const S = scorer.preprocess.size;
  const { window, stride } = resolveOcclusion(S, opts);
  const positions = windowPositions(S, window, stride);
  const p0 = (await scorer.score(scorer.normalize(gray), 1))[0];
  const z0 = logit(p0);
  const drops = new Float64Array(positions.length);
  const per = scorer.preprocess.channels * S * S;
  for (let start = 0; start < positions.length; start += scorer.batchSize) {
    const chunk = positions.slice(start, start + scorer.batchSize);
    const batch = new Float32Array(chunk.length * per);
    chunk.forEach(([x0, y0], k) => {
      const occluded = gray.slice();
      for (let y = y0; y < y0 + window; y++) occluded.fill(0, y * S + x0, y * S + x0 + window);
      batch.set(scorer.normalize(occluded), k * per);
    });
    const ps = await scorer.score(batch, chunk.length);
    for (let k = 0; k < chunk.length; k++) drops[start + k] = Math.abs(z0 - logit(ps[k]));
  }
  const map = spreadOverWindows(S, window, positions, drops);
  return { map, size: S, p: p0, windows: positions.length };
}

export interface OcclusionImageResult {
  id: string;
  p: number;
  /** Share of the occlusion map inside the label boxes (NaN when occluding never changes p). */
  label_attention: number;
  /** Share of the model input the boxes cover: what an evenly spread map would give. */
  chance: number;
  pointing_hit: boolean;
}

/** Occlusion map of one image and its share on the label boxes (boxes in original image pixels). */
export async function occlusionAttention(
  scorer: AuditScorer,
  id: string,
  img: GrayImage,
  boxes: readonly LabelBox[],
  opts: OcclusionOptions = {},
): Promise<{ result: OcclusionImageResult; map: OcclusionMap; gray: Float32Array; modelBoxes: LabelBox[] }> {
  const resized = scorer.resize(img);
  const map = await occlusionMap(scorer, resized.gray, opts);
  const modelBoxes = boxes.map((b) => resized.toModel(b));
  const a = labelAttention(map.map, map.size, map.size, modelBoxes);
  return {
    result: { id, p: map.p, label_attention: a.labelAttention, chance: a.boxAreaShare, pointing_hit: a.pointingHit },
    map,
    gray: resized.gray,
    modelBoxes,
  };
}
