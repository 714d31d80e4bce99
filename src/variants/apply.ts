import type { GrayImage } from '../data/index.js';
import type { LabelBox } from '../labels/index.js';
import type { Rng } from '../util/index.js';
import { checkChoice, checkNumber } from '../util/index.js';
import { pixelRect, rectMask, type PixelRect } from './rects.js';
import { randomCoverBoxes } from './random-cover.js';

export type VariantMode = 'cover' | 'labels-only' | 'random-cover';
export const VARIANT_MODES: readonly VariantMode[] = ['cover', 'labels-only', 'random-cover'];
export type FillMode = 'black' | 'mean';
export const FILL_MODES: readonly FillMode[] = ['black', 'mean'];

export interface VariantOptions {
  /** Pixels added on every side of each box. */
  margin?: number;
  /** Covered boxes: black (as Yi et al.) or the median of a ring around the box. Ignored by labels-only. */
  fill?: FillMode;
  /** Required for random-cover: where the control boxes go. */
  rng?: Rng;
  /** Width of the ring sampled for fill=mean, in pixels. */
  ring?: number;
}

/** Median of the pixels in a ring around r, skipping any pixel that is itself covered. */
function ringMedian(img: GrayImage, r: PixelRect, ring: number, covered: Uint8Array): number {
  const vals: number[] = [];
  const x0 = Math.max(0, r.x0 - ring),
    x1 = Math.min(img.width, r.x1 + ring);
  const y0 = Math.max(0, r.y0 - ring),
    y1 = Math.min(img.height, r.y1 + ring);
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const i = y * img.width + x;
      if (!covered[i]) vals.push(img.data[i]);
    }
  if (vals.length === 0) return 0;
  vals.sort((a, b) => a - b);
  const m = vals.length >> 1;
  return vals.length % 2 ? vals[m] : (vals[m - 1] + vals[m]) / 2;
}

function fillRects(img: GrayImage, rects: PixelRect[], fill: FillMode, ring: number): GrayImage {
  const data = img.data.slice();
  const covered = fill === 'mean' ? rectMask(rects, img.width, img.height) : null;
  for (const r of rects) {
    const v = covered ? ringMedian(img, r, ring, covered) : 0;
    for (let y = r.y0; y < r.y1; y++) data.fill(v, y * img.width + r.x0, y * img.width + r.x1);
  }
  return { ...img, data };
}

/** The pixels covering these boxes changes: each box grown by margin, clipped to the image; empty ones dropped. */
export function coverRects(boxes: readonly LabelBox[], margin: number, width: number, height: number): PixelRect[] {
  return boxes.map((b) => pixelRect(b, margin, width, height)).filter((r) => r.x1 > r.x0 && r.y1 > r.y0);
}

/**
 * Build one input variant of Yi et al. (AJR 2021) in memory: cover = label boxes blacked out; labels-only =
 * everything but the label boxes blacked out; random-cover = same number and sizes of black boxes away from
 * the labels (control arm). The input image is not changed.
 */
export function applyVariant(
  img: GrayImage,
  boxes: readonly LabelBox[],
  mode: VariantMode,
  opts: VariantOptions = {},
): GrayImage {
  checkChoice('mode', mode, VARIANT_MODES);
  const margin = checkNumber('margin', opts.margin ?? 0, 0);
  const fill = checkChoice('fill', opts.fill ?? 'black', FILL_MODES);
  const ring = checkNumber('ring', opts.ring ?? Math.max(4, margin), 1);
  const rectsOf = (bs: readonly LabelBox[]) => coverRects(bs, margin, img.width, img.height);
  if (mode === 'cover') return fillRects(img, rectsOf(boxes), fill, ring);
  if (mode === 'random-cover') {
    if (!opts.rng) throw new Error('applyVariant: random-cover needs opts.rng');
    return fillRects(img, rectsOf(randomCoverBoxes(boxes, img.width, img.height, opts.rng, margin)), fill, ring);
  }
  const keep = rectMask(rectsOf(boxes), img.width, img.height);
  const data = new Float32Array(img.data.length);
  for (let i = 0; i < data.length; i++) if (keep[i]) data[i] = img.data[i];
  return { ...img, data };
}
