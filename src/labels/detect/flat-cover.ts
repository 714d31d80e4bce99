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

// the counting table of commonest, kept from call to call: a value's float32 bits, and its count (0: slot empty)
let keys = new Int32Array(0),
  counts = new Int32Array(0),
  seen = new Int32Array(0);

/** The slot of `key` in a table of 2^bits slots (linear probing). */
function slotOf(key: number, shift: number, mask: number): number {
  let s = Math.imul(key, 0x9e3779b1) >>> shift;
  while (counts[s] !== 0 && keys[s] !== key) s = (s + 1) & mask;
  return s;
}

/**
 * The value that first reaches the highest count, in raster order: counted in a hash table of the values' bits
 * (a Map of float keys, or sorting a copy, cost more than the rest of this stage); ties at the highest count go
 * to the value whose last needed pixel comes first, as counting in raster order would give.
 */
function commonest(image: GrayImage, b: Span): number {
  const w = b.x1 - b.x0,
    n = w * (b.y1 - b.y0);
  if (n <= 0) return 0;
  let bits = 4;
  while (1 << bits < 2 * n) bits++;
  const size = 1 << bits,
    shift = 32 - bits,
    mask = size - 1;
  if (keys.length < size) {
    keys = new Int32Array(size);
    counts = new Int32Array(size);
    seen = new Int32Array(size);
  } else counts.fill(0, 0, size);
  const d = image.data,
    db = new Int32Array(d.buffer, d.byteOffset, d.length);
  let most = 0;
  for (let y = b.y0; y < b.y1; y++)
    for (let i = y * image.width + b.x0, end = i + w; i < end; i++) {
      const key = d[i] === 0 ? 0 : db[i]; // -0 counts as 0, as === has it
      const s = slotOf(key, shift, mask);
      keys[s] = key;
      const c = ++counts[s];
      if (c > most) most = c;
    }
  // the first value in raster order whose running count reaches the highest count
  seen.fill(0, 0, size);
  for (let y = b.y0; y < b.y1; y++)
    for (let i = y * image.width + b.x0, end = i + w; i < end; i++) {
      const s = slotOf(d[i] === 0 ? 0 : db[i], shift, mask);
      if (counts[s] === most && ++seen[s] === most) return d[i];
    }
  return 0;
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
    // the four neighbours, without an array each (this runs for every pixel of the patch)
    for (let q = 0; q < 4; q++) {
      const nx = q === 0 ? px - 1 : q === 1 ? px + 1 : px,
        ny = q === 2 ? py - 1 : q === 3 ? py + 1 : py;
      if (nx < 0 || ny < 0 || nx >= im.width || ny >= im.height || im.data[ny * im.width + nx] !== v) continue;
      if (nx < lim.x0 || ny < lim.y0 || nx >= lim.x1 || ny >= lim.y1) return undefined;
      const k = (ny - lim.y0) * lw + (nx - lim.x0);
      if (seen[k]) continue;
      seen[k] = 1;
      stack.push(nx, ny);
    }
  }
  return { count, span };
}
