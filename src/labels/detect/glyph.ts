/**
 * Reading a laterality marker as L or R from the source image (full resolution, cropped to the marker's box).
 * The crop is binarised at Otsu's threshold; the letter is the largest bright component that does not enclose
 * another (a frame or the bright surround of a dark tab encloses the letter). An R closes a bowl, an L does not,
 * so the letter's holes decide most readings whatever its rotation; the reader also sees fill and two of Hu's
 * moment invariants (unchanged by rotation and scale). Otsu N, "A threshold selection method from gray-level
 * histograms", IEEE Trans. Syst. Man Cybern. 9:62-66 (1979). Hu MK, "Visual pattern recognition by moment
 * invariants", IRE Trans. Inf. Theory 8:179-187 (1962).
 */
import type { Raster } from './morph.js';

export const GLYPH_FEATURE_NAMES = ['holes', 'hole_frac', 'fill', 'hu1', 'hu2', 'aspect', 'found'] as const;

/** Longest side the crop is box-averaged down to before reading (a letter needs no more pixels than this). */
export const GLYPH_SIDE = 48;

export interface Crop {
  width: number;
  height: number;
  data: Float32Array;
}

/**
 * The image inside [x, y, w, h] (source-image pixels, clipped), box-averaged by an integer factor to at most
 * `side`. `image` may be a copy of the source downsampled by `scale`.
 */
export function cropImage(
  image: Raster,
  box: { x: number; y: number; w: number; h: number },
  scale = 1,
  side = GLYPH_SIDE,
): Crop {
  const x0 = Math.max(0, Math.floor(box.x / scale)),
    y0 = Math.max(0, Math.floor(box.y / scale));
  const x1 = Math.min(image.width, Math.ceil((box.x + box.w) / scale)),
    y1 = Math.min(image.height, Math.ceil((box.y + box.h) / scale));
  const f = Math.max(1, Math.ceil(Math.max(x1 - x0, y1 - y0) / side));
  const w = Math.max(0, Math.floor((x1 - x0) / f)),
    h = Math.max(0, Math.floor((y1 - y0) / f));
  const data = new Float32Array(w * h);
  const inv = 1 / (f * f);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y0 + y * f + dy) * image.width + x0 + x * f;
        for (let dx = 0; dx < f; dx++) s += image.data[row + dx];
      }
      data[y * w + x] = s * inv;
    }
  return { width: w, height: h, data };
}

/** Otsu's threshold of the values (64 bins between their min and max). */
export function otsu(data: Float32Array): number {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi > lo)) return hi;
  const bins = 64,
    hist = new Float64Array(bins),
    scale = (bins - 1e-6) / (hi - lo);
  for (let i = 0; i < data.length; i++) hist[((data[i] - lo) * scale) | 0]++;
  let total = 0,
    sumAll = 0;
  for (let b = 0; b < bins; b++) {
    total += hist[b];
    sumAll += b * hist[b];
  }
  let wB = 0,
    sumB = 0,
    best = -1,
    at = 0;
  for (let b = 0; b < bins - 1; b++) {
    wB += hist[b];
    sumB += b * hist[b];
    const wF = total - wB;
    if (wB === 0 || wF === 0) continue;
    const between = wB * wF * (sumB / wB - (sumAll - sumB) / wF) ** 2;
    if (between > best) {
      best = between;
      at = b;
    }
  }
  return lo + (at + 1) / scale;
}

/** 4-connected components of mask === value; returns the label raster (0 = other) and each component's pixel count and box. */
function components(
  mask: Uint8Array,
  w: number,
  h: number,
  value: number,
): { labels: Int32Array; comps: { area: number; x0: number; y0: number; x1: number; y1: number; border: boolean }[] } {
  const labels = new Int32Array(w * h);
  const comps: { area: number; x0: number; y0: number; x1: number; y1: number; border: boolean }[] = [];
  const stack = new Int32Array(w * h);
  for (let s = 0; s < w * h; s++) {
    if (mask[s] !== value || labels[s]) continue;
    const id = comps.length + 1;
    const c = { area: 0, x0: w, y0: h, x1: -1, y1: -1, border: false };
    let top = 0;
    labels[s] = id;
    stack[top++] = s;
    while (top) {
      const i = stack[--top];
      const x = i % w,
        y = (i - x) / w;
      c.area++;
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) c.border = true;
      if (x > 0 && mask[i - 1] === value && !labels[i - 1]) {
        labels[i - 1] = id;
        stack[top++] = i - 1;
      }
      if (x < w - 1 && mask[i + 1] === value && !labels[i + 1]) {
        labels[i + 1] = id;
        stack[top++] = i + 1;
      }
      if (y > 0 && mask[i - w] === value && !labels[i - w]) {
        labels[i - w] = id;
        stack[top++] = i - w;
      }
      if (y < h - 1 && mask[i + w] === value && !labels[i + w]) {
        labels[i + w] = id;
        stack[top++] = i + w;
      }
    }
    comps.push(c);
  }
  return { labels, comps };
}

type Comp = ReturnType<typeof components>['comps'][number];
interface Letter {
  bw: number;
  bh: number;
  pixels: Uint8Array;
  holes: Comp[];
}

/** The letter: the largest bright component (of at least 2 % of the crop) that does not enclose another such. */
function pickLetter(mask: Uint8Array, w: number, h: number): Letter | null {
  const { labels, comps } = components(mask, w, h, 1);
  const minArea = 0.02 * w * h;
  const encloses = (a: Comp, b: Comp) => a !== b && a.x0 <= b.x0 && a.y0 <= b.y0 && a.x1 >= b.x1 && a.y1 >= b.y1;
  const big = comps.filter((c) => c.area >= minArea);
  const inner = big.filter((c) => !big.some((o) => encloses(c, o)));
  if (!inner.length) return null;
  const g = inner.reduce((a, b) => (b.area > a.area ? b : a));
  const id = comps.indexOf(g) + 1;
  const bw = g.x1 - g.x0 + 1,
    bh = g.y1 - g.y0 + 1;
  const pixels = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++)
    for (let x = 0; x < bw; x++) if (labels[(g.y0 + y) * w + g.x0 + x] === id) pixels[y * bw + x] = 1;
  // holes: background regions inside the letter's box that do not reach its edge, large enough not to be noise
  const holes = components(pixels, bw, bh, 0).comps.filter((c) => !c.border && c.area >= Math.max(2, 0.01 * bw * bh));
  return { bw, bh, pixels, holes };
}

/** Whether the holes together span most of the letter's box both ways, as the inside of a frame does (an R's bowl does not). */
function framed(l: Letter): boolean {
  if (!l.holes.length) return false;
  const x0 = Math.min(...l.holes.map((c) => c.x0)),
    x1 = Math.max(...l.holes.map((c) => c.x1));
  const y0 = Math.min(...l.holes.map((c) => c.y0)),
    y1 = Math.max(...l.holes.map((c) => c.y1));
  return x1 - x0 + 1 >= 0.65 * l.bw && y1 - y0 + 1 >= 0.65 * l.bh;
}

/** Clear the bright pixels that touch (4-neighbourhood) the background connected to the crop's edge. */
function peel(mask: Uint8Array, w: number, h: number): void {
  const outside = components(mask, w, h, 0);
  const edge = new Set(outside.comps.map((c, i) => (c.border ? i + 1 : 0)).filter((v) => v));
  const out = (i: number) => mask[i] === 0 && edge.has(outside.labels[i]);
  const drop: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1 || out(i - 1) || out(i + 1) || out(i - w) || out(i + w))
        drop.push(i);
    }
  for (const i of drop) mask[i] = 0;
}

/**
 * Glyph features of the letter in a crop: [holes (0-3), largest hole / letter area, fill of the letter's box,
 * Hu 1, Hu 2 (log scale), log aspect of the letter's box, 1 when a letter was found]. All zero when none was.
 */
export function glyphFeatures(crop: Crop): number[] {
  const mask = binarise(crop);
  return mask ? letterFeatures(mask, crop.width, crop.height, true) : [...NONE];
}

/**
 * The reader's features: glyphFeatures, then the same of the letter taken without peeling frames off. A thin
 * "D" (or "O") spans its box with its hole as a frame does, and peeling it breaks it up; unpeeled, it is whole.
 */
export const READER_FEATURE_NAMES = [...GLYPH_FEATURE_NAMES, ...GLYPH_FEATURE_NAMES.map((n) => `unpeeled_${n}`)];

export function readerFeatures(crop: Crop): number[] {
  const mask = binarise(crop);
  if (!mask) return [...NONE, ...NONE];
  // the unpeeled letter first: peeling clears pixels of the mask
  const unpeeled = letterFeatures(mask, crop.width, crop.height, false);
  return [...letterFeatures(mask, crop.width, crop.height, true), ...unpeeled];
}

const NONE: readonly number[] = [0, 0, 0, 0, 0, 0, 0];

/**
 * The bright parts of a crop (at Otsu's threshold) that could each be a letter on their own: components of at
 * least `minShare` of the crop, as boxes in crop pixels (inclusive). A plate's letter, or a letter inside a ring
 * that does not touch it, is one of them.
 */
export function brightParts(
  crop: Crop,
  minShare: number,
): { x0: number; y0: number; x1: number; y1: number; area: number; border: boolean }[] {
  const mask = binarise(crop);
  if (!mask) return [];
  const minArea = minShare * crop.width * crop.height;
  return components(mask, crop.width, crop.height, 1)
    .comps.filter((c) => c.area >= minArea)
    .map(({ x0, y0, x1, y1, area, border }) => ({ x0, y0, x1, y1, area, border }));
}

/** The crop thresholded at Otsu's level (1 = bright), or null for a crop too small to hold a letter. */
export function binarise(crop: Crop): Uint8Array | null {
  const { width: w, height: h, data } = crop;
  if (w < 4 || h < 4) return null;
  const t = otsu(data);
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i] > t ? 1 : 0;
  return mask;
}

function letterFeatures(mask: Uint8Array, w: number, h: number, peelFrames: boolean): number[] {
  const none = [...NONE];
  let letter = pickLetter(mask, w, h);
  if (!letter) return none;
  // a letter touching its frame makes one component whose holes (the frame's inside) span it: peel the frame
  // off from the outside, one pixel layer at a time, until the frame breaks
  for (let k = 1; peelFrames && k <= 8 && framed(letter); k++) {
    peel(mask, w, h);
    letter = pickLetter(mask, w, h);
    if (!letter) return none;
  }
  const { bw, bh, pixels, holes } = letter;
  let m00 = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < bh; y++)
    for (let x = 0; x < bw; x++)
      if (pixels[y * bw + x]) {
        m00++;
        mx += x;
        my += y;
      }
  mx /= m00;
  my /= m00;
  const holeMax = holes.reduce((a, c) => Math.max(a, c.area), 0);
  let n20 = 0,
    n02 = 0,
    n11 = 0;
  for (let y = 0; y < bh; y++)
    for (let x = 0; x < bw; x++) {
      if (!pixels[y * bw + x]) continue;
      const dx = x - mx,
        dy = y - my;
      n20 += dx * dx;
      n02 += dy * dy;
      n11 += dx * dy;
    }
  // each pixel is a unit square with its own second moment 1/12 about its centre: without it a one-pixel
  // "letter" has hu1 = 0 and log(hu1) = -Infinity, which poisons any network trained on it
  n20 += m00 / 12;
  n02 += m00 / 12;
  const s = m00 * m00;
  n20 /= s;
  n02 /= s;
  n11 /= s;
  const hu1 = n20 + n02,
    hu2 = (n20 - n02) ** 2 + 4 * n11 ** 2;
  return [
    Math.min(holes.length, 3),
    holeMax / m00,
    m00 / (bw * bh),
    Math.log(hu1),
    Math.log(hu2 + 1e-6),
    Math.log(Math.max(bw, bh) / Math.min(bw, bh)),
    1,
  ];
}
