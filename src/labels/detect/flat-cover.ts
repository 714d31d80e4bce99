import type { GrayImage } from '../../data/index.js';
import type { Rect } from './detector.js';

/**
 * A box drawn around a cover is not a label. `confound mask` (like any redaction tool) writes a solid rectangle
 * of one value; an imaged lead marker or printed text never is one: noise and blur vary it, and glyph strokes
 * punch holes in the plate they sit on. So a box is dropped when the largest one-value patch in it, followed to
 * its whole extent, is a filled rectangle (SOLID of its bounding box) taking FLAT_SHARE of the box: the detector
 * then saw a cover's edges. Saturated air repeats one value too, but it is not a rectangle the size of a label.
 */
const FLAT_SHARE = 0.2;
const SOLID = 0.97;
const MIN_FLAT_PIXELS = 16;

interface Span {
  x0: number;
  y0: number;
  x1: number; // exclusive
  y1: number;
}

export function isFlatCover(image: GrayImage, box: Rect): boolean {
  const b: Span = {
    x0: Math.max(0, Math.floor(box.x)),
    y0: Math.max(0, Math.floor(box.y)),
    x1: Math.min(image.width, Math.ceil(box.x + box.w)),
    y1: Math.min(image.height, Math.ceil(box.y + box.h)),
  };
  const area = (b.x1 - b.x0) * (b.y1 - b.y0);
  if (area <= 0) return false;
  const value = commonest(image, b);
  const r = largestRectOf(image, b, value);
  if (!r) return false;
  const size = (r.x1 - r.x0) * (r.y1 - r.y0);
  if (size < MIN_FLAT_PIXELS || size < FLAT_SHARE * area) return false;
  // Follow the patch within the box grown by its own size on each side: a patch reaching that far is not a cover.
  const w = b.x1 - b.x0,
    h = b.y1 - b.y0;
  const lim: Span = {
    x0: Math.max(0, b.x0 - w),
    y0: Math.max(0, b.y0 - h),
    x1: Math.min(image.width, b.x1 + w),
    y1: Math.min(image.height, b.y1 + h),
  };
  const patch = floodFrom(image, r.x0, r.y0, value, lim);
  if (!patch) return false;
  const boxArea = (patch.span.x1 - patch.span.x0) * (patch.span.y1 - patch.span.y0);
  return patch.count >= SOLID * boxArea;
}

/** The boxes that are not a cover's outline (see isFlatCover). */
export function dropFlatCovers<T extends Rect>(boxes: T[], image: GrayImage): T[] {
  return boxes.filter((b) => !isFlatCover(image, b));
}

function commonest(image: GrayImage, b: Span): number {
  const counts = new Map<number, number>();
  let best = 0,
    most = 0;
  for (let y = b.y0; y < b.y1; y++)
    for (let x = b.x0; x < b.x1; x++) {
      const v = image.data[y * image.width + x];
      const c = (counts.get(v) ?? 0) + 1;
      counts.set(v, c);
      if (c > most) [best, most] = [v, c];
    }
  return best;
}

/** The largest rectangle of pixels equal to value inside b (the histogram-and-stack method, one pass a row). */
function largestRectOf(image: GrayImage, b: Span, value: number): Span | undefined {
  const w = b.x1 - b.x0;
  const heights = new Int32Array(w + 1); // heights[w] stays 0: it empties the stack at each row's end
  let best: Span | undefined;
  let bestArea = 0;
  for (let y = b.y0; y < b.y1; y++) {
    for (let i = 0; i < w; i++) heights[i] = image.data[y * image.width + b.x0 + i] === value ? heights[i] + 1 : 0;
    const stack: number[] = [];
    for (let i = 0; i <= w; i++) {
      while (stack.length && heights[stack[stack.length - 1]] >= heights[i]) {
        const h = heights[stack.pop()!];
        const left = stack.length ? stack[stack.length - 1] + 1 : 0;
        if (h * (i - left) > bestArea) {
          bestArea = h * (i - left);
          best = { x0: b.x0 + left, y0: y - h + 1, x1: b.x0 + i, y1: y + 1 };
        }
      }
      stack.push(i);
    }
  }
  return best;
}

/** The 4-connected pixels equal to v from (x, y) within lim: their count and bounding box; none if it hits lim. */
function floodFrom(im: GrayImage, x: number, y: number, v: number, lim: Span) {
  const lw = lim.x1 - lim.x0;
  const seen = new Uint8Array(lw * (lim.y1 - lim.y0));
  const stack = [x, y];
  seen[(y - lim.y0) * lw + (x - lim.x0)] = 1;
  const span: Span = { x0: x, y0: y, x1: x + 1, y1: y + 1 };
  let count = 0;
  while (stack.length) {
    const py = stack.pop()!,
      px = stack.pop()!;
    count++;
    span.x0 = Math.min(span.x0, px);
    span.x1 = Math.max(span.x1, px + 1);
    span.y0 = Math.min(span.y0, py);
    span.y1 = Math.max(span.y1, py + 1);
    for (const [nx, ny] of [
      [px - 1, py],
      [px + 1, py],
      [px, py - 1],
      [px, py + 1],
    ]) {
      if (im.data[ny * im.width + nx] !== v || nx < 0 || ny < 0 || nx >= im.width || ny >= im.height) continue;
      if (nx < lim.x0 || ny < lim.y0 || nx >= lim.x1 || ny >= lim.y1) return undefined;
      const k = (ny - lim.y0) * lw + (nx - lim.x0);
      if (seen[k]) continue;
      seen[k] = 1;
      stack.push(nx, ny);
    }
  }
  return { count, span };
}
