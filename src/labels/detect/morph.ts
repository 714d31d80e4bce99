/** Pixel operations of the candidate stage: box downsampling and separable grey-level morphology. */

/** A single-channel float raster (working copy, not tied to a file). */
export interface Raster {
  width: number;
  height: number;
  data: Float32Array;
}

/** Box-average downsample by an integer factor (edge pixels that do not fill a block are dropped). */
export function downsample(src: Raster, factor: number): Raster {
  if (factor <= 1) return { width: src.width, height: src.height, data: src.data };
  const w = Math.floor(src.width / factor),
    h = Math.floor(src.height / factor);
  const out = new Float32Array(w * h);
  if (factor === 2) {
    const sw = src.width,
      d = src.data;
    for (let y = 0; y < h; y++) {
      let a = 2 * y * sw,
        b = a + sw;
      for (let x = 0, o = y * w; x < w; x++, o++, a += 2, b += 2) out[o] = (d[a] + d[a + 1] + d[b] + d[b + 1]) * 0.25;
    }
    return { width: w, height: h, data: out };
  }
  const inv = 1 / (factor * factor);
  const d = src.data,
    sw = src.width;
  // each block's rows summed in order into a float32 total, as a float32 raster accumulating them would hold it
  // (so the values are those of adding row by row into the output), without writing the output in between
  for (let y = 0; y < h; y++) {
    const r0 = y * factor * sw;
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let dy = 0, base = r0 + x * factor; dy < factor; dy++, base += sw) {
        let s = 0;
        for (let dx = 0; dx < factor; dx++) s += d[base + dx];
        acc = Math.fround(acc + s);
      }
      out[y * w + x] = acc * inv;
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Running min or max over a window of `k` samples centred on each sample (van Herk / Gil-Werman:
 * three comparisons per sample whatever k). Reads n samples from `src` at `off + i*stride`.
 * Max is computed as -min(-x) so one tight loop serves both.
 */
function runningMin(
  src: Float32Array,
  dst: Float32Array,
  off: number,
  stride: number,
  n: number,
  k: number,
  sign: number,
  g: Float32Array,
  hb: Float32Array,
): void {
  const r = k >> 1;
  const pad = n + 2 * r;
  for (let i = 0, b = 0; i < pad; i++, b++) {
    if (b === k) b = 0;
    const j = i - r;
    const v = j >= 0 && j < n ? sign * src[off + j * stride] : Infinity;
    g[i] = b === 0 || v < g[i - 1] ? v : g[i - 1];
  }
  for (let i = pad - 1; i >= 0; i--) {
    const j = i - r;
    const v = j >= 0 && j < n ? sign * src[off + j * stride] : Infinity;
    hb[i] = i === pad - 1 || i % k === k - 1 || v < hb[i + 1] ? v : hb[i + 1];
  }
  for (let j = 0, o = off; j < n; j++, o += stride) {
    const a = hb[j],
      b = g[j + 2 * r];
    dst[o] = sign * (a < b ? a : b);
  }
}

/** The vertical pass of runningMin done a whole row at a time, so memory is read in order. */
function columnMin(src: Float32Array, dst: Float32Array, w: number, h: number, k: number, sign: number): void {
  const r = k >> 1;
  const pad = h + 2 * r;
  const g = new Float32Array(pad * w),
    hb = new Float32Array(pad * w);
  for (let i = 0; i < pad; i++) {
    const j = i - r,
      o = i * w,
      so = j * w;
    const start = i % k === 0,
      inside = j >= 0 && j < h;
    for (let x = 0; x < w; x++) {
      const v = inside ? sign * src[so + x] : Infinity;
      const prev = start ? Infinity : g[o - w + x];
      g[o + x] = v < prev ? v : prev;
    }
  }
  for (let i = pad - 1; i >= 0; i--) {
    const j = i - r,
      o = i * w,
      so = j * w;
    const start = i === pad - 1 || i % k === k - 1,
      inside = j >= 0 && j < h;
    for (let x = 0; x < w; x++) {
      const v = inside ? sign * src[so + x] : Infinity;
      const prev = start ? Infinity : hb[o + w + x];
      hb[o + x] = v < prev ? v : prev;
    }
  }
  for (let y = 0; y < h; y++) {
    const a0 = y * w,
      b0 = (y + 2 * r) * w;
    for (let x = 0; x < w; x++) {
      const a = hb[a0 + x],
        b = g[b0 + x];
      dst[a0 + x] = sign * (a < b ? a : b);
    }
  }
}

/** Grey-level erosion (isMax=false) or dilation (isMax=true) with a k x k square (k odd). */
export function squareFilter(src: Raster, k: number, isMax: boolean): Raster {
  const { width: w, height: h } = src;
  const tmp = new Float32Array(w * h);
  const out = new Float32Array(w * h);
  const g = new Float32Array(w + k),
    hb = new Float32Array(w + k);
  const sign = isMax ? -1 : 1;
  for (let y = 0; y < h; y++) runningMin(src.data, tmp, y * w, 1, w, k, sign, g, hb);
  columnMin(tmp, out, w, h, k, sign);
  return { width: w, height: h, data: out };
}

/** White top-hat: the image minus its opening, i.e. bright detail narrower than k pixels. */
export function whiteTopHat(src: Raster, k: number): Raster {
  const opened = squareFilter(squareFilter(src, k, false), k, true);
  const out = opened.data;
  for (let i = 0; i < out.length; i++) out[i] = src.data[i] - out[i];
  return opened;
}

/**
 * The block maximum and minimum by `f` of `d` (a Float32Array's bits) into the bits of hi and lo; false, with hi
 * and lo left unfinished, where a value is negative (its bits then order the other way).
 */
function minMaxBits(
  d: Int32Array,
  sw: number,
  f: number,
  w: number,
  h: number,
  hi: Int32Array,
  lo: Int32Array,
): boolean {
  let any = 0;
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let dy = 0; dy < f; dy++) {
      for (let x = 0, i = (y * f + dy) * sw; x < w; x++) {
        let m = dy === 0 ? d[i] : hi[o + x],
          n = dy === 0 ? d[i] : lo[o + x];
        for (const end = i + f; i < end; i++) {
          const v = d[i];
          any |= v;
          // (m - v) >> 31 is -1 where m < v, else 0 (differences of non-negative int32s do not overflow)
          m ^= (m ^ v) & ((m - v) >> 31);
          n = v ^ ((n ^ v) & ((n - v) >> 31));
        }
        hi[o + x] = m;
        lo[o + x] = n;
      }
    }
  }
  return any >= 0;
}

const bits = (a: Float32Array) => new Int32Array(a.buffer, a.byteOffset, a.length);

/** minMaxBits unrolled for f = 2, the common case (images of 769 to 1,536 px). */
function minMax2Bits(d: Int32Array, sw: number, w: number, h: number, hi: Int32Array, lo: Int32Array): boolean {
  let any = 0;
  for (let y = 0, o = 0; y < h; y++) {
    for (let x = 0, a = 2 * y * sw, b = a + sw; x < w; x++, o++, a += 2, b += 2) {
      const p = d[a],
        q = d[a + 1],
        r = d[b],
        t = d[b + 1];
      any |= p | q | r | t;
      const s1 = (p - q) >> 31,
        s2 = (r - t) >> 31;
      const m1 = p ^ ((p ^ q) & s1),
        n1 = q ^ ((p ^ q) & s1),
        m2 = r ^ ((r ^ t) & s2),
        n2 = t ^ ((r ^ t) & s2);
      hi[o] = m1 ^ ((m1 ^ m2) & ((m1 - m2) >> 31));
      lo[o] = n2 ^ ((n1 ^ n2) & ((n1 - n2) >> 31));
    }
  }
  return any >= 0;
}

/**
 * Block-maximum and block-minimum downsamples by an integer factor in one pass over the source (edge remainders
 * dropped): thin bright and thin dark strokes keep their level.
 */
export function downsampleMinMax(src: Raster, factor: number): { max: Raster; min: Raster } {
  if (factor <= 1) {
    const same = { width: src.width, height: src.height, data: src.data };
    return { max: same, min: same };
  }
  const w = Math.floor(src.width / factor),
    h = Math.floor(src.height / factor);
  const d = src.data,
    sw = src.width;
  // on the values' bits: non-negative floats order as their bits do as integers, and integer min/max can be had
  // without branches (a noisy image's comparisons are coin flips that a branch predictor misses half the time,
  // which made this pass several times slower than its memory traffic)
  {
    const hi = new Float32Array(w * h),
      lo = new Float32Array(w * h);
    const done =
      factor === 2
        ? minMax2Bits(bits(d), sw, w, h, bits(hi), bits(lo))
        : minMaxBits(bits(d), sw, factor, w, h, bits(hi), bits(lo));
    if (done) return { max: { width: w, height: h, data: hi }, min: { width: w, height: h, data: lo } };
  }
  const hi = new Float32Array(w * h).fill(-Infinity),
    lo = new Float32Array(w * h).fill(Infinity);
  for (let y = 0; y < h; y++) {
    const o = y * w;
    for (let dy = 0; dy < factor; dy++) {
      for (let x = 0, i = (y * factor + dy) * sw; x < w; x++) {
        let m = hi[o + x],
          n = lo[o + x];
        for (const end = i + factor; i < end; i++) {
          const v = d[i];
          m = v > m ? v : m;
          n = v < n ? v : n;
        }
        hi[o + x] = m;
        lo[o + x] = n;
      }
    }
  }
  return { max: { width: w, height: h, data: hi }, min: { width: w, height: h, data: lo } };
}

/**
 * One pixel of the block-minimum downsample by `factor` (a thin dark outline keeps its level): computed where it
 * is asked for, as few pixels are.
 */
export function blockMin(src: Raster, factor: number, x: number, y: number): number {
  let n = Infinity;
  for (let dy = 0, row = y * factor * src.width + x * factor; dy < factor; dy++, row += src.width) {
    for (let i = row, end = row + factor; i < end; i++) {
      const v = src.data[i];
      if (v < n) n = v;
    }
  }
  return n;
}
