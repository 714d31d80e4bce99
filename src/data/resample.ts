import type { GrayImage } from './image.js';

/**
 * Per output position d along one axis: taps[d] consecutive source pixels from first[d], weighted by
 * w[at[d]], w[at[d] + 1], ... (a triangle filter's support is one run of source pixels).
 */
export interface AxisWeights {
  first: Int32Array;
  taps: Int32Array;
  at: Int32Array;
  w: Float32Array;
}

/** Weights of a triangle (linear) filter widened by the downscale factor so shrinking averages, not aliases. */
export function resampleAxis(srcLen: number, dstLen: number, scale: number, offset: number): AxisWeights {
  const first = new Int32Array(dstLen),
    taps = new Int32Array(dstLen),
    at = new Int32Array(dstLen);
  const ws: number[] = [];
  const support = Math.max(1, 1 / scale);
  for (let d = 0; d < dstLen; d++) {
    const centre = (d + 0.5 - offset) / scale - 0.5;
    const lo = Math.max(0, Math.floor(centre - support) + 1);
    const hi = Math.min(srcLen - 1, Math.ceil(centre + support) - 1);
    const ks: number[] = [];
    let start = -1,
      sum = 0;
    for (let s = lo; s <= hi; s++) {
      const k = Math.max(0, 1 - Math.abs(s - centre) / support);
      if (k > 0) {
        if (start < 0) start = s;
        ks.push(k);
        sum += k;
      }
    }
    if (sum === 0) {
      start = Math.min(srcLen - 1, Math.max(0, Math.round(centre)));
      ks.push(1);
      sum = 1;
    }
    first[d] = start;
    taps[d] = ks.length;
    at[d] = ws.length;
    for (const k of ks) ws.push(k / sum);
  }
  return { first, taps, at, w: Float32Array.from(ws) };
}

/** Horizontal pass for source rows y0..y1 and output columns x0..x1 into tmp (output width x img.height). */
export function horizontalPass(
  img: GrayImage,
  xs: AxisWeights,
  tmp: Float32Array,
  y0: number,
  y1: number,
  x0: number,
  x1: number,
): void {
  const { first, taps, at, w } = xs;
  const width = first.length,
    data = img.data;
  for (let y = y0; y < y1; y++) {
    const row = y * img.width,
      dst = y * width;
    for (let x = x0; x < x1; x++) {
      const src = row + first[x],
        o = at[x],
        n = taps[x];
      let acc = 0;
      for (let k = 0; k < n; k++) acc += data[src + k] * w[o + k];
      tmp[dst + x] = acc;
    }
  }
}

/**
 * Vertical pass for output rows y0..y1 and columns x0..x1, from tmp into out (`stride` wide, output (0, 0) at
 * (dx, dy)). Each output row adds whole rows of tmp, tap by tap in the same order as pixel by pixel (so the same
 * sums), reading memory along its rows.
 */
export function verticalPass(
  ys: AxisWeights,
  tmp: Float32Array,
  out: Float32Array,
  stride: number,
  dx: number,
  dy: number,
  rows: readonly [number, number],
  cols: readonly [number, number],
  width: number,
): void {
  const { first, taps, at, w } = ys;
  const [x0, x1] = cols;
  const acc = new Float64Array(width);
  for (let y = rows[0]; y < rows[1]; y++) {
    acc.fill(0, x0, x1);
    for (let k = 0; k < taps[y]; k++) {
      const src = (first[y] + k) * width,
        wk = w[at[y] + k];
      for (let x = x0; x < x1; x++) acc[x] += tmp[src + x] * wk;
    }
    const dst = (y + dy) * stride + dx;
    for (let x = x0; x < x1; x++) out[dst + x] = acc[x];
  }
}

/**
 * Separable resample of img (horizontal pass, then vertical) with the axes' weights, written into `out`, a buffer
 * `stride` pixels wide, with its top-left output pixel at (dx, dy). Returns the horizontal pass's result, from
 * which a copy of img changed in a few places can be resampled in part (resampleChanged).
 */
export function resampleInto(
  img: GrayImage,
  xs: AxisWeights,
  ys: AxisWeights,
  out: Float32Array,
  stride: number,
  dx = 0,
  dy = 0,
): Float32Array {
  const w = xs.first.length;
  const tmp = new Float32Array(w * img.height);
  horizontalPass(img, xs, tmp, 0, img.height, 0, w);
  verticalPass(ys, tmp, out, stride, dx, dy, [0, ys.first.length], [0, w], w);
  return tmp;
}

/** Output positions [d0, d1) whose filters read any source position in [s0, s1) (supports grow with d). */
function touched(axis: AxisWeights, s0: number, s1: number): [number, number] {
  let d0 = axis.first.length,
    d1 = 0;
  for (let d = 0; d < axis.first.length; d++) {
    if (axis.first[d] < s1 && axis.first[d] + axis.taps[d] > s0) {
      d0 = Math.min(d0, d);
      d1 = d + 1;
    }
  }
  return [d0, Math.max(d0, d1)];
}

/**
 * The resample (as resampleInto, stride = output width, no offset) of `changed`, an image equal to the one that
 * gave `base` (its output) and `tmp` (its horizontal pass) outside the rects: only the output pixels whose filters
 * reach a changed pixel are recomputed, by the same loops, so the result is identical to resampling it whole.
 */
export function resampleChanged(
  changed: GrayImage,
  rects: readonly { x: number; y: number; w: number; h: number }[],
  xs: AxisWeights,
  ys: AxisWeights,
  base: { out: Float32Array; tmp: Float32Array },
): Float32Array {
  const width = xs.first.length;
  const tmp = base.tmp.slice(),
    out = base.out.slice();
  const spans = rects.map((c) => {
    const y0 = Math.max(0, Math.floor(c.y)),
      y1 = Math.min(changed.height, Math.ceil(c.y + c.h));
    const cols = touched(xs, Math.max(0, Math.floor(c.x)), Math.min(changed.width, Math.ceil(c.x + c.w)));
    return { y0, y1, cols, rows: touched(ys, y0, y1) };
  });
  for (const s of spans) horizontalPass(changed, xs, tmp, s.y0, s.y1, s.cols[0], s.cols[1]);
  for (const s of spans) verticalPass(ys, tmp, out, width, 0, 0, s.rows, s.cols, width);
  return out;
}
