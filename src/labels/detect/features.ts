/** Shape and intensity features of one candidate, the verifier's input. Scale-free wherever possible. */
import { memberMask } from './patch.js';
import { rectSum, type Candidate, type Working } from './working.js';
import { elongation } from './components.js';

export const FEATURE_NAMES = [
  'log_height',
  'log_width',
  'log_aspect',
  'fill',
  'n_components',
  'holes',
  'max_val',
  'mean_val',
  'mean_top',
  'saturated',
  'contrast',
  'ring_std',
  'stroke_rel',
  'stroke_cv',
  'max_elong',
  'log_major_rel',
  'border_dist',
  'size_cv',
  'largest_share',
  'edge_sharp',
  'top_frac',
  'is_holder',
  'holder_contrast',
  'holder_sides',
  'link_out',
  'enclosed',
  'is_tab',
  'ring_top',
] as const;
export const N_FEATURES = FEATURE_NAMES.length;

/**
 * Holes: background regions (4-connected) inside the candidate box that do not reach the box edge. Counted on a
 * copy inside a one-pixel frame marked done: the regions at the box's edge are flooded first, uncounted, and every
 * background region left is a hole (the frame keeps every flood inside the copy, with no bounds checks).
 */
let padBuf = new Uint8Array(0),
  stackBuf = new Int32Array(0);
export function countHoles(inBox: Uint8Array, w: number, h: number): number {
  // scratch buffers reused across calls (this runs for every candidate)
  const W = w + 2,
    n = W * (h + 2);
  if (padBuf.length < n) {
    padBuf = new Uint8Array(2 * n);
    stackBuf = new Int32Array(2 * n);
  }
  // 1: the frame, a letter pixel or a flooded one; 0: background not yet flooded
  const pad = padBuf,
    stack = stackBuf;
  pad.fill(1, 0, n);
  for (let y = 0; y < h; y++) {
    const o = (y + 1) * W + 1;
    for (let x = 0; x < w; x++) pad[o + x] = inBox[y * w + x] ? 1 : 0;
  }
  for (let x = 1; x <= w; x++) {
    if (!pad[W + x]) flood(pad, stack, W, W + x);
    if (!pad[h * W + x]) flood(pad, stack, W, h * W + x);
  }
  for (let y = 1; y <= h; y++) {
    if (!pad[y * W + 1]) flood(pad, stack, W, y * W + 1);
    if (!pad[y * W + w]) flood(pad, stack, W, y * W + w);
  }
  let holes = 0;
  for (let y = 2; y < h; y++)
    for (let i = y * W + 2, end = y * W + w - 1; i <= end; i++) {
      if (pad[i]) continue;
      holes++;
      flood(pad, stack, W, i);
    }
  return holes;
}

/** Mark done the 4-connected background region of `pad` (row length W) from s. */
function flood(pad: Uint8Array, stack: Int32Array, W: number, s: number): void {
  let top = 0;
  stack[top++] = s;
  pad[s] = 1;
  while (top) {
    const i = stack[--top];
    if (!pad[i - 1]) {
      pad[i - 1] = 1;
      stack[top++] = i - 1;
    }
    if (!pad[i + 1]) {
      pad[i + 1] = 1;
      stack[top++] = i + 1;
    }
    if (!pad[i - W]) {
      pad[i - W] = 1;
      stack[top++] = i - W;
    }
    if (!pad[i + W]) {
      pad[i + W] = 1;
      stack[top++] = i + W;
    }
  }
}

// Helpers at module level, not closures made per call: V8 keeps a closure's optimised code only while the
// closure lives, so per-call closures were recompiled after every major GC (once or more per image).
function mean(a: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}
function cv(a: readonly number[]): number {
  const m = mean(a);
  if (a.length < 2 || m === 0) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / a.length) / m;
}

export function candidateFeatures(w: Working, c: Candidate): number[] {
  const W = w.img.width,
    H = w.img.height;
  const wside = Math.max(W, H);
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const norm = (v: number) => (v - w.p01) / range;
  const bw = c.x1 - c.x0 + 1,
    bh = c.y1 - c.y0 + 1;
  const { mask } = memberMask(c, W);
  let area = 0,
    sumVal = 0,
    sumTop = 0,
    maxVal = 0;
  const strokes: number[] = [],
    sizes: number[] = [];
  let maxElong = 1,
    maxMajor = 0,
    largest = 0;
  for (const m of c.members) {
    area += m.area;
    sumVal += m.sumVal;
    sumTop += m.sumTop;
    maxVal = Math.max(maxVal, m.maxVal);
    strokes.push((2 * m.area) / Math.max(m.perimeter, 1));
    sizes.push(Math.max(m.x1 - m.x0 + 1, m.y1 - m.y0 + 1));
    const e = elongation(m);
    maxElong = Math.max(maxElong, e.ratio);
    maxMajor = Math.max(maxMajor, e.major);
    largest = Math.max(largest, m.area);
  }
  // saturation and edge sharpness over member pixels; ring = 2-pixel band around the box
  let sat = 0,
    edge = 0,
    edgeN = 0;
  const satLevel = w.p01 + 0.9 * range;
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      if (!mask[y * bw + x]) continue;
      const gx = c.x0 + x,
        gy = c.y0 + y,
        i = gy * W + gx;
      if (w.img.data[i] >= satLevel) sat++;
      const o = y * bw + x;
      if (
        x === 0 ||
        x === bw - 1 ||
        y === 0 ||
        y === bh - 1 ||
        mask[o - 1] !== 1 ||
        mask[o + 1] !== 1 ||
        mask[o - bw] !== 1 ||
        mask[o + bw] !== 1
      ) {
        const l = gx > 0 ? w.img.data[i - 1] : w.img.data[i],
          r = gx < W - 1 ? w.img.data[i + 1] : w.img.data[i];
        const u = gy > 0 ? w.img.data[i - W] : w.img.data[i],
          d = gy < H - 1 ? w.img.data[i + W] : w.img.data[i];
        edge += Math.hypot(r - l, d - u) / 2;
        edgeN++;
      }
    }
  }
  let ringN = 0,
    ringSum = 0,
    ringSq = 0;
  const pad = 2;
  for (let y = c.y0 - pad; y <= c.y1 + pad; y++) {
    if (y < 0 || y >= H) continue;
    const inRows = y >= c.y0 && y <= c.y1;
    for (let x = c.x0 - pad; x <= c.x1 + pad; x++) {
      if (x < 0 || x >= W) continue;
      if (inRows && x === c.x0) {
        x = c.x1;
        continue;
      }
      const v = w.img.data[y * W + x];
      ringN++;
      ringSum += v;
      ringSq += v * v;
    }
  }
  const ringMean = ringN ? ringSum / ringN : w.p50;
  const ringStd = ringN ? Math.sqrt(Math.max(0, ringSq / ringN - ringMean * ringMean)) : 0;
  const meanVal = sumVal / area;
  const meanTop = sumTop / area;
  const contrast = (meanVal - ringMean) / range;
  const border = Math.min(c.x0, c.y0, W - 1 - c.x1, H - 1 - c.y1) / wside;
  const stroke = mean(strokes);
  // bright detail just outside the box (a band 15 % of its size wide) against the members' own: a label stands
  // alone, a piece of a word or of metal hardware goes on beyond its box
  const band = Math.max(2, Math.round(0.15 * Math.max(bw, bh)));
  const outer = rectSum(w.satTop, W, H, c.x0 - band, c.y0 - band, c.x1 + band, c.y1 + band);
  const inBox = rectSum(w.satTop, W, H, c.x0, c.y0, c.x1, c.y1);
  const ringTop = outer.n > inBox.n ? (outer.sum - inBox.sum) / (outer.n - inBox.n) / Math.max(meanTop, 1e-3) : 0;
  return [
    Math.log(bh / wside),
    Math.log(bw / wside),
    Math.log(bw / bh),
    area / (bw * bh),
    Math.min(c.members.length, 8),
    Math.min(countHoles(mask, bw, bh), 4),
    norm(maxVal),
    norm(meanVal),
    meanTop / range,
    sat / area,
    contrast,
    ringStd / range,
    stroke / Math.max(bw, bh),
    cv(strokes),
    Math.log(maxElong),
    Math.log(Math.max(maxMajor, 1) / Math.max(bw, bh)),
    Math.min(border, 0.25) * 4,
    cv(sizes),
    largest / area,
    edgeN ? edge / edgeN / Math.max(meanTop, 1e-3) : 0,
    meanTop / Math.max(meanVal - w.p01, 1e-3),
    c.isHolder ? 1 : 0,
    c.holderContrast ?? 0,
    (c.holderSides ?? 0) / 4,
    Math.min(c.linkOut ?? 0, 3),
    c.enclosed ? 1 : 0,
    c.isTab ? 1 : 0,
    Math.min(ringTop, 2),
  ];
}

export const BOX_FEATURE_NAMES = [
  'side_step_mean',
  'side_step_min',
  'side_touch_mean',
  'side_touch_min',
  'side_spill_max',
  'band_std',
  'out_band_std',
] as const;

/**
 * How well a box (working pixels, inclusive bounds) fits what it holds, side by side: a label's box is bounded by
 * an edge (a tab's or frame's step, or letter strokes reaching each side) with nothing bright just beyond it; a box
 * too large ends in flat tissue, one too small cuts through strokes. Per side (a 1-pixel line just inside the box
 * and the 2 pixels just outside): the step of mean intensity, and the brightest top-hat response inside minus
 * outside ("touch"); spill is the brightest top-hat response outside against the box's own peak. Also the
 * spread of intensity in a 2-pixel band inside the box's edge (flat on a tab) and just outside it. All over the
 * image's range, clipped where the box meets the image edge (an outside line beyond it counts as flat).
 */
export function boxFitFeatures(w: Working, c: { x0: number; y0: number; x1: number; y1: number }): number[] {
  const W = w.img.width,
    H = w.img.height,
    t = w.top.data;
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const x0 = Math.max(0, c.x0),
    y0 = Math.max(0, c.y0),
    x1 = Math.min(W - 1, c.x1),
    y1 = Math.min(H - 1, c.y1);
  let peak = 0;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (t[y * W + x] > peak) peak = t[y * W + x];
  peak = Math.max(peak, 1e-3 * range);
  const bw = x1 - x0 + 1,
    bh = y1 - y0 + 1;
  const steps: number[] = [],
    touch: number[] = [],
    spill: number[] = [];
  // left, top, right, bottom: inside line and two outside lines
  const sides: [number, number, number, number, number, number, number][] = [
    [x0, y0, 0, 1, bh, -1, 0],
    [x0, y0, 1, 0, bw, 0, -1],
    [x1, y0, 0, 1, bh, 1, 0],
    [x0, y1, 1, 0, bw, 0, 1],
  ];
  for (const [ax, ay, dx, dy, n, ox, oy] of sides) {
    const [inMean, inTop] = lineStats(w, ax, ay, dx, dy, n);
    const o1 = lineStats(w, ax + ox, ay + oy, dx, dy, n),
      o2 = lineStats(w, ax + 2 * ox, ay + 2 * oy, dx, dy, n);
    const outs = [o1, o2].filter((o) => Number.isFinite(o[0]));
    if (!outs.length) {
      steps.push(0);
      touch.push(inTop / peak);
      spill.push(0);
      continue;
    }
    const outMean = outs.reduce((s, o) => s + o[0], 0) / outs.length,
      outTop = Math.max(...outs.map((o) => o[1]));
    steps.push(Math.abs(inMean - outMean) / range);
    touch.push((inTop - outTop) / peak);
    spill.push(outTop / peak);
  }
  return [
    mean(steps),
    Math.min(...steps),
    mean(touch),
    Math.min(...touch),
    Math.max(...spill),
    bandStd(w, c, true) / range,
    bandStd(w, c, false) / range,
  ];
}

/** A line of pixels from (ax, ay) along (dx, dy) for n steps: mean value and max top-hat (NaN when off the image). */
function lineStats(w: Working, ax: number, ay: number, dx: number, dy: number, n: number): [number, number] {
  const W = w.img.width,
    d = w.img.data,
    t = w.top.data;
  if (ax < 0 || ay < 0 || ax >= W || ay >= w.img.height) return [NaN, NaN];
  let s = 0,
    m = 0;
  for (let k = 0; k < n; k++) {
    const i = (ay + k * dy) * W + ax + k * dx;
    s += d[i];
    if (t[i] > m) m = t[i];
  }
  return [s / n, m];
}

/**
 * Spread of intensity in a 2-pixel band just inside a box's edge (clipped to the image) or, with inside false,
 * just outside it.
 */
function bandStd(w: Working, c: { x0: number; y0: number; x1: number; y1: number }, inside: boolean): number {
  const W = w.img.width,
    H = w.img.height,
    d = w.img.data;
  let n = 0,
    s = 0,
    q = 0;
  const ex0 = inside ? Math.max(0, c.x0) : c.x0 - 2,
    ey0 = inside ? Math.max(0, c.y0) : c.y0 - 2,
    ex1 = inside ? Math.min(W - 1, c.x1) : c.x1 + 2,
    ey1 = inside ? Math.min(H - 1, c.y1) : c.y1 + 2;
  for (let y = ey0; y <= ey1; y++) {
    if (y < 0 || y >= H) continue;
    for (let x = ex0; x <= ex1; x++) {
      if (x < 0 || x >= W) continue;
      const dIn = Math.min(x - ex0, ex1 - x, y - ey0, ey1 - y);
      if (dIn >= 2) {
        x = Math.max(x, ex1 - 2);
        continue;
      }
      if (!inside && x >= c.x0 && x <= c.x1 && y >= c.y0 && y <= c.y1) continue;
      const v = d[y * W + x];
      n++;
      s += v;
      q += v * v;
    }
  }
  return n ? Math.sqrt(Math.max(0, q / n - (s / n) ** 2)) : 0;
}
