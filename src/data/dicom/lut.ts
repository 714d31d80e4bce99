import { unfilledFloat32 } from '../../util/index.js';

/**
 * The grayscale display pipeline of PS3.3 C.11 for one frame, stored value -> [0, 1]:
 * Modality LUT (rescale, or a LUT) -> VOI LUT (a LUT, or a window: LINEAR, LINEAR_EXACT, SIGMOID; with neither,
 * the frame's min/max) -> Presentation LUT (INVERSE, or MONOCHROME1). Pixel padding (PS3.3 C.7.5.1.1.2) is left
 * out of the min/max and shown black. Evaluated once per possible stored value (at most 2^16), then looked up.
 */

export interface Lut {
  /** The first input value mapped; inputs below take data[0], above take the last entry. */
  first: number;
  /** Bits per entry (the LUT's output range is 0 .. 2^bits - 1). */
  bits: number;
  data: ArrayLike<number>;
}

export const VOI_FUNCTIONS = ['LINEAR', 'LINEAR_EXACT', 'SIGMOID'] as const;
export type VoiFunction = (typeof VOI_FUNCTIONS)[number];

export interface Window {
  center: number;
  width: number;
  fn: VoiFunction;
}

export interface DisplayPipeline {
  bitsStored: number;
  signed: boolean;
  slope: number;
  intercept: number;
  modalityLut?: Lut;
  voiLut?: Lut;
  window?: Window;
  /** MONOCHROME1, or Presentation LUT Shape INVERSE. */
  invert: boolean;
  /** Stored values from lo to hi (inclusive) are padding. */
  padding?: { lo: number; hi: number };
}

export function applyLut(lut: Lut, x: number): number {
  const i = Math.round(x) - lut.first;
  const n = lut.data.length;
  return lut.data[i <= 0 ? 0 : i >= n ? n - 1 : i];
}

/** PS3.3 C.11.2.1.2 (LINEAR, LINEAR_EXACT) and C.11.2.1.3.1 (SIGMOID), with output range [0, 1]. */
export function applyWindow(w: Window, x: number): number {
  const { center: c, width } = w;
  switch (w.fn) {
    case 'LINEAR': {
      if (x <= c - 0.5 - (width - 1) / 2) return 0;
      if (x > c - 0.5 + (width - 1) / 2) return 1;
      return width <= 1 ? 1 : (x - (c - 0.5)) / (width - 1) + 0.5;
    }
    case 'LINEAR_EXACT': {
      if (x <= c - width / 2) return 0;
      if (x > c + width / 2) return 1;
      return (x - c) / width + 0.5;
    }
    case 'SIGMOID':
      return 1 / (1 + Math.exp((-4 * (x - c)) / width));
  }
}

/** Stored words (any bits above bitsStored ignored) to display values in [0, 1]. */
export function toDisplay(words: ArrayLike<number>, p: DisplayPipeline): Float32Array {
  const table = displayTable(words, p);
  const out = unfilledFloat32(words.length);
  if (words instanceof Uint16Array) lookUp16(words, table, out);
  else for (let i = 0; i < words.length; i++) out[i] = table[words[i] & (table.length - 1)];
  return out;
}

// Monomorphic loops for the common 16-bit words: V8 keeps them tight (the generic loop ran at half their speed),
// and, read as 32-bit pairs where the words are aligned, they take half the loads (about 15% faster here).
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function pairsOf(words: Uint16Array): Uint32Array | undefined {
  if (!LITTLE_ENDIAN || words.byteOffset % 4 !== 0) return undefined;
  return new Uint32Array(words.buffer, words.byteOffset, words.length >> 1);
}

function lookUp16(words: Uint16Array, table: Float32Array, out: Float32Array): void {
  const mask = table.length - 1;
  const pairs = pairsOf(words);
  let i = 0;
  if (pairs) {
    // The low half of a (little-endian) pair is the earlier word.
    for (let k = 0; k < pairs.length; k++, i += 2) {
      const two = pairs[k];
      out[i] = table[two & mask];
      out[i + 1] = table[(two >>> 16) & mask];
    }
  }
  for (; i < words.length; i++) out[i] = table[words[i] & mask];
}

function seen16(words: Uint16Array, seen: Uint8Array): void {
  const mask = seen.length - 1;
  const pairs = pairsOf(words);
  let i = 0;
  if (pairs) {
    for (let k = 0; k < pairs.length; k++, i += 2) {
      const two = pairs[k];
      seen[two & mask] = 1;
      seen[(two >>> 16) & mask] = 1;
    }
  }
  for (; i < words.length; i++) seen[words[i] & mask] = 1;
}

/** The display value of every possible stored word (2^bitsStored entries), for this frame's words. */
export function displayTable(words: ArrayLike<number>, p: DisplayPipeline): Float32Array {
  if (p.bitsStored < 1 || p.bitsStored > 16) throw new Error(`BitsStored ${p.bitsStored} is not supported (1-16)`);
  const size = 1 << p.bitsStored;
  const mask = size - 1;
  const half = size >> 1;
  const value = (w: number): number => (p.signed && w >= half ? w - size : w);
  const isPad = (v: number): boolean => p.padding !== undefined && v >= p.padding.lo && v <= p.padding.hi;
  const modality = (v: number): number => (p.modalityLut ? applyLut(p.modalityLut, v) : v * p.slope + p.intercept);

  let min = Infinity,
    max = -Infinity;
  if (!p.voiLut && !p.window) {
    const seen = new Uint8Array(size);
    if (words instanceof Uint16Array) seen16(words, seen);
    else for (let i = 0; i < words.length; i++) seen[words[i] & mask] = 1;
    for (let w = 0; w < size; w++) {
      if (!seen[w]) continue;
      const v = value(w);
      if (isPad(v)) continue;
      const m = modality(v);
      if (m < min) min = m;
      if (m > max) max = m;
    }
  }
  const voiMax = p.voiLut ? 2 ** p.voiLut.bits - 1 : 1;
  const table = new Float32Array(size);
  for (let w = 0; w < size; w++) {
    const v = value(w);
    if (isPad(v)) {
      table[w] = 0;
      continue;
    }
    const m = modality(v);
    let y: number;
    if (p.voiLut) y = applyLut(p.voiLut, m) / voiMax;
    else if (p.window) y = applyWindow(p.window, m);
    else y = max > min ? (m - min) / (max - min) : 0;
    if (p.invert) y = 1 - y;
    table[w] = Math.min(1, Math.max(0, y));
  }
  return table;
}
