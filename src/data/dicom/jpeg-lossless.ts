/**
 * JPEG lossless (ITU-T T.81 process 14, Annex H), one component, any predictor 1-7, restart intervals,
 * point transform. Returns null for what it does not handle (several components, hierarchical), and the
 * caller then uses jpeg-lossless-decoder-js.
 *
 * Why our own: jpeg-lossless-decoder-js took about 110 ms of CPU per 2,048 x 2,500 16-bit image here, too slow
 * for the 30 images/s on 2 cores that the project asks. Here the scan is unstuffed once, a 32-bit buffer takes
 * 16 bits at a time, most codes come with their difference from one look-up in a table small enough for the L1
 * cache, and predictor 1 is applied in the same loop.
 */

import { unfilledUint16 } from '../../util/index.js';

interface Huffman {
  /** Indexed by the next 16 bits: (code length << 8) | symbol; 0 = no code. */
  lookup: Int32Array;
  /** How many bits `fast` looks up at once (12-16). */
  fastBits: number;
  /**
   * Indexed by the next fastBits bits, where a code and its extra bits fit in them:
   * (bits used << 16) | (difference mod 2^16); 0 where they do not (then use lookup).
   */
  fast: Int32Array;
}

/**
 * The fewest bits (12-16) whose table holds the codes and extra bits of about 98% of the pixels, judging each
 * category's share by its code length (an optimal code of length L is used about 2^-L of the time). Smaller
 * tables stay in the L1 cache (12 bits: 16 KiB); a noisy 16-bit image needs more bits per pixel.
 */
function chooseFastBits(codes: { len: number; sym: number }[]): number {
  for (let bits = 12; bits < 16; bits++) {
    let missed = 0;
    for (const { len, sym } of codes) if (sym !== 16 && len + sym > bits) missed += 2 ** -len;
    if (missed < 0.02) return bits;
  }
  return 16;
}

function buildHuffman(counts: Uint8Array, symbols: Uint8Array): Huffman {
  const codes: { len: number; sym: number; code: number }[] = [];
  let code = 0,
    k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < counts[len - 1]; i++) codes.push({ len, sym: symbols[k++], code: code++ });
    code <<= 1;
  }
  const lookup = new Int32Array(1 << 16);
  const fastBits = chooseFastBits(codes);
  const fast = new Int32Array(1 << fastBits);
  for (const { len, sym, code } of codes) {
    lookup.fill((len << 8) | sym, code << (16 - len), (code + 1) << (16 - len));
    if (sym === 16 || len + sym > fastBits) continue;
    const free = fastBits - len - sym; // bits of the look-up past the extra bits
    for (let j = code << (fastBits - len); j < (code + 1) << (fastBits - len); j++) {
      const v = (j >> free) & ((1 << sym) - 1);
      const diff = sym === 0 ? 0 : v < 1 << (sym - 1) ? v - (1 << sym) + 1 : v;
      fast[j] = ((len + sym) << 16) | (diff & 0xffff);
    }
  }
  return { lookup, fastBits, fast };
}

interface Frame {
  precision: number;
  rows: number;
  cols: number;
  components: number;
}

/** Decode one JPEG-lossless frame into stored words, or null when the stream needs the general decoder. */
export function decodeJpegLossless(src: Uint8Array): Uint16Array | null {
  const tables: (Huffman | undefined)[] = [];
  let frame: Frame | undefined;
  let restart = 0;
  let pos = 2;
  if (src[0] !== 0xff || src[1] !== 0xd8) throw new Error('JPEG stream does not start with SOI');
  const u16 = (p: number): number => (src[p] << 8) | src[p + 1];
  while (pos + 4 <= src.length) {
    if (src[pos] !== 0xff) {
      pos++;
      continue;
    }
    const marker = src[pos + 1];
    if (marker === 0xff) {
      pos++;
      continue;
    }
    const len = u16(pos + 2);
    const body = pos + 4;
    if (body + len - 2 > src.length) throw new Error('JPEG segment runs past the end of the data');
    if (marker === 0xc3) {
      frame = { precision: src[body], rows: u16(body + 1), cols: u16(body + 3), components: src[body + 5] };
      if (frame.components !== 1) return null;
    } else if (marker === 0xc4) {
      let p = body;
      while (p < body + len - 2) {
        const id = src[p] & 0x0f;
        const counts = src.subarray(p + 1, p + 17);
        let n = 0;
        for (let i = 0; i < 16; i++) n += counts[i];
        tables[id] = buildHuffman(counts, src.subarray(p + 17, p + 17 + n));
        p += 17 + n;
      }
    } else if (marker === 0xdd) {
      restart = u16(body);
    } else if (marker === 0xda) {
      if (!frame) throw new Error('JPEG scan before its lossless frame header (SOF3)');
      if (src[body] !== 1) return null;
      const table = tables[src[body + 2] >> 4];
      if (!table) throw new Error('JPEG scan names a Huffman table that is not defined');
      const predictor = src[body + 1 + 2];
      const pt = src[body + 1 + 4] & 0x0f;
      const start = body + len - 2;
      return decodeScan(src, start, frame, table, predictor, pt, restart);
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return null; // another process (baseline, extended, hierarchical, arithmetic)
    }
    pos = body + len - 2;
  }
  throw new Error('JPEG stream has no scan');
}

/**
 * A scan's entropy-coded bytes with the stuffed zeros (FF 00 -> FF) and restart markers taken out, followed by
 * zeros, so the decoder reads any 32 bits at a byte offset without checks.
 */
interface CleanScan {
  bytes: Uint8Array;
  view: DataView;
  /** Bits of coded data, not counting the zeros after. */
  bits: number;
  /** The bit offset at which each restart interval begins; [0] without restarts. */
  intervals: number[];
}

// Reused from scan to scan: a fresh buffer of several MB costs more in page faults than copying into it.
let scratch = new Uint8Array(0);

function unstuffScan(src: Uint8Array, start: number, pad: number): CleanScan {
  if (scratch.length < src.length - start + pad) scratch = new Uint8Array(src.length - start + pad);
  const bytes = scratch;
  const intervals = [0];
  let n = 0;
  let p = start;
  while (p < src.length) {
    const ff = src.indexOf(0xff, p);
    const stop = ff < 0 ? src.length : ff;
    bytes.set(src.subarray(p, stop), n);
    n += stop - p;
    if (ff < 0 || ff + 1 >= src.length) break;
    const next = src[ff + 1];
    if (next === 0x00) {
      bytes[n++] = 0xff;
      p = ff + 2;
    } else if (next === 0xff) {
      p = ff + 1; // a fill byte before a marker
    } else if (next >= 0xd0 && next <= 0xd7) {
      intervals.push(n * 8); // RSTn: the bits left in the byte before it are padding
      p = ff + 2;
    } else break; // EOI, DNL or another marker: the scan ends
  }
  bytes.fill(0, n, n + pad);
  return { bytes, view: new DataView(bytes.buffer), bits: n * 8, intervals };
}

/**
 * Huffman-decode pixels [from, to) into out, starting at bit bp; returns the bit after the last. Each value is
 * (prev & keep) + difference, mod 2^16, prev being the value before: keep 0xffff decodes left-predicted pixels
 * (prev starts as the first pixel's prediction), keep 0 leaves the bare differences.
 * The bit buffer holds its cnt valid bits at the top and takes 16 bits at a time; one look-up of its top
 * fastBits bits gives most codes with their extra bits, and the rest are read from the bit position.
 */
function decodeRun(
  scan: CleanScan,
  table: Huffman,
  out: Uint16Array,
  from: number,
  to: number,
  bp: number,
  prev: number,
  keep: number,
): number {
  const { bytes, view } = scan;
  const { fast, lookup } = table;
  const shift = 32 - table.fastBits;
  let p = (bp >>> 3) + 4;
  let buf = view.getUint32(p - 4) << (bp & 7);
  let cnt = 32 - (bp & 7);
  for (let i = from; i < to; i++) {
    if (cnt <= 16) {
      buf |= ((bytes[p] << 8) | bytes[p + 1]) << (16 - cnt);
      p += 2;
      cnt += 16;
    }
    let code = fast[buf >>> shift];
    if (code !== 0) {
      const used = code >>> 16;
      buf <<= used;
      cnt -= used;
    } else {
      // Rare: a code and its extra bits longer than fastBits; read at the bit position, then refill.
      const at = p * 8 - cnt;
      code = readLongCode(view, lookup, at, i);
      const next = at + (code >>> 16);
      p = (next >>> 3) + 4;
      buf = view.getUint32(p - 4) << (next & 7);
      cnt = 32 - (next & 7);
    }
    prev = ((prev & keep) + code) & 0xffff;
    out[i] = prev;
  }
  bp = p * 8 - cnt;
  if (bp > scan.bits) throw new Error(`JPEG lossless: the scan's data ends before pixel ${to} of ${out.length}`);
  return bp;
}

/** The code and extra bits at bit `at`, as a `fast` entry: (bits used << 16) | (difference mod 2^16). */
function readLongCode(view: DataView, lookup: Int32Array, at: number, pixel: number): number {
  const entry = lookup[(view.getUint32(at >>> 3) << (at & 7)) >>> 16];
  if (entry === 0) throw new Error(`JPEG lossless: bad Huffman code at pixel ${pixel}`);
  const len = entry >> 8;
  const s = entry & 0xff;
  if (s === 0) return len << 16;
  if (s === 16) return (len << 16) | 32768; // T.81 H.1.2.2: no extra bits, the difference is 32768
  const v = (view.getUint32((at + len) >>> 3) << ((at + len) & 7)) >>> (32 - s);
  return ((len + s) << 16) | ((v < 1 << (s - 1) ? v - (1 << s) + 1 : v) & 0xffff);
}

/**
 * Decode a scan in runs that stay within one line and one restart interval. After a restart, and on the first
 * line, pixels are predicted from the left (the first of a line from above); elsewhere by the scan's predictor.
 */
function decodeScan(
  src: Uint8Array,
  start: number,
  f: Frame,
  table: Huffman,
  predictor: number,
  pt: number,
  restart: number,
): Uint16Array {
  const { rows, cols } = f;
  if (predictor < 1 || predictor > 7) throw new Error(`JPEG lossless: predictor ${predictor} is not 1-7`);
  const n = rows * cols;
  const out = unfilledUint16(n); // every pixel is written, in order
  // A run can take up to 32 bits a pixel: enough zeros after the data that a corrupt one reads none past.
  const scan = unstuffScan(src, start, 4 * cols + 8);
  const initial = 1 << (f.precision - pt - 1);
  const interval = restart || n;
  let bp = 0;
  let lineStart = 0; // the first pixel of the current interval
  for (let i = 0; i < n; ) {
    if (i > 0 && i % interval === 0) {
      const k = i / interval;
      if (k >= scan.intervals.length) throw new Error(`JPEG lossless: restart marker ${k} is missing`);
      bp = scan.intervals[k];
      lineStart = i;
    }
    const firstLine = i < lineStart + cols;
    const end = Math.min(n, i - (i % cols) + cols, lineStart + interval, firstLine ? lineStart + cols : n);
    if (predictor === 1 || firstLine) {
      const above = i % cols === 0 && !firstLine;
      const pred = i === lineStart ? initial : above ? out[i - cols] : out[i - 1];
      bp = decodeRun(scan, table, out, i, end, bp, pred, 0xffff);
    } else {
      bp = decodeRun(scan, table, out, i, end, bp, 0, 0);
      predict2d(out, i, end, cols, predictor);
    }
    i = end;
  }
  if (pt > 0) for (let i = 0; i < n; i++) out[i] = (out[i] << pt) & 0xffff;
  return out;
}

/** Add each pixel's prediction by predictor 2-7 (T.81 Table H.1) to its difference in out[from, to), one line. */
function predict2d(out: Uint16Array, from: number, to: number, cols: number, predictor: number): void {
  let i = from;
  if (i % cols === 0) {
    out[i] = (out[i] + out[i - cols]) & 0xffff; // first in its line: from above
    i++;
  }
  for (; i < to; i++) {
    const ra = out[i - 1],
      rb = out[i - cols],
      rc = out[i - cols - 1];
    let pred: number;
    switch (predictor) {
      case 2:
        pred = rb;
        break;
      case 3:
        pred = rc;
        break;
      case 4:
        pred = ra + rb - rc;
        break;
      case 5:
        pred = ra + ((rb - rc) >> 1);
        break;
      case 6:
        pred = rb + ((ra - rc) >> 1);
        break;
      default:
        pred = (ra + rb) >> 1;
    }
    out[i] = (pred + out[i]) & 0xffff;
  }
}
