import type { GrayImage } from '../data/index.js';
import { letterbox, resampleAxis, resampleInto, toModelBox, type Rect } from '../data/index.js';
import { checkChoice, checkInt, checkNumber, InvalidParameterError } from '../util/index.js';

export type ResizeMode = 'stretch' | 'letterbox';
export const RESIZE_MODES: readonly ResizeMode[] = ['stretch', 'letterbox'];

/**
 * PyTorch-style input preparation: grayscale in [0, 1] resized to size x size, (x - mean) / std per channel,
 * replicated to 3 channels when the model wants 3, laid out CHW.
 */
export interface Preprocess {
  size: number;
  channels: 1 | 3;
  /** One value, or one per channel. */
  mean: readonly number[];
  std: readonly number[];
  /** stretch = torchvision Resize((S, S)) (aspect not kept); letterbox = fit inside and pad with 0. */
  resize: ResizeMode;
  /**
   * Centre crop: torchvision Resize(round(size / centerCrop)) on the shorter side, then CenterCrop(size). 0.875 at
   * 224 is ImageNet's Resize(256) + CenterCrop(224); 1 keeps the central square of the shorter side (as
   * torchxrayvision's XRayCenterCrop + Resize). Unset: no crop (resize decides).
   */
  centerCrop?: number;
  /** The [0, 1] grayscale is mapped linearly onto [lo, hi] before (x - mean) / std (default [0, 1]). */
  range?: readonly [number, number];
}

/** An image resized into the model frame, before normalisation, and how boxes map into that frame. */
export interface Resized {
  gray: Float32Array;
  toModel<B extends Rect>(box: B): B;
}

export function checkPreprocess(p: Preprocess): Preprocess {
  checkInt('input size', p.size, 1, 8192);
  if (p.channels !== 1 && p.channels !== 3) throw new InvalidParameterError('channels', '1 or 3', p.channels);
  checkChoice('resize', p.resize, RESIZE_MODES);
  for (const [name, list] of [
    ['mean', p.mean],
    ['std', p.std],
  ] as const) {
    if (list.length !== 1 && list.length !== p.channels) {
      throw new InvalidParameterError(name, `1 value or ${p.channels} (one per channel)`, list.join(','));
    }
    for (const v of list) checkNumber(name, v);
  }
  for (const s of p.std) if (s === 0) throw new InvalidParameterError('std', 'non-zero values', p.std.join(','));
  if (p.centerCrop !== undefined && !(p.centerCrop > 0 && p.centerCrop <= 1)) {
    throw new InvalidParameterError('center crop', 'a fraction in (0, 1]', p.centerCrop);
  }
  if (p.range !== undefined && !(p.range.length === 2 && p.range.every(Number.isFinite) && p.range[0] !== p.range[1])) {
    throw new InvalidParameterError('range', 'two different numbers lo,hi', p.range.join(','));
  }
  return p;
}

/** Resample both axes with the antialiased triangle filter: output pixel (x, y) centred at ((x + 0.5 - ox) / sx - 0.5, ...). */
function resample(
  img: GrayImage,
  outW: number,
  outH: number,
  sx: number,
  sy: number,
  ox: number,
  oy: number,
): Float32Array {
  const out = new Float32Array(outW * outH);
  resampleInto(img, resampleAxis(img.width, outW, sx, ox), resampleAxis(img.height, outH, sy, oy), out, outW);
  return out;
}

/**
 * Stretch to size x size with the same antialiased triangle filter as the letterbox (PIL / torchvision
 * bilinear with antialias), each axis scaled on its own.
 */
export function stretch(img: GrayImage, size: number): Float32Array {
  return resample(img, size, size, size / img.width, size / img.height, 0, 0);
}

/** Python's round(): halves to even (torchvision's CenterCrop offset uses it). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * torchvision Resize(R) (shorter side to R = round(S / fraction), the longer to int(R * long / short)) then
 * CenterCrop(S), computed in one pass: only the kept pixels are resampled.
 */
function resizeCrop(
  img: GrayImage,
  size: number,
  fraction: number,
): { gray: Float32Array; sx: number; sy: number; cx: number; cy: number } {
  const R = Math.max(size, Math.round(size / fraction));
  const { width: w, height: h } = img;
  const [lw, lh] = w <= h ? [R, Math.floor((R * h) / w)] : [Math.floor((R * w) / h), R];
  const cx = roundHalfEven((lw - size) / 2),
    cy = roundHalfEven((lh - size) / 2);
  const sx = lw / w,
    sy = lh / h;
  return { gray: resample(img, size, size, sx, sy, -cx, -cy), sx, sy, cx, cy };
}

export function resizeToModel(img: GrayImage, p: Preprocess): Resized {
  if (p.centerCrop !== undefined) {
    const r = resizeCrop(img, p.size, p.centerCrop);
    return {
      gray: r.gray,
      toModel: (b) => ({ ...b, x: b.x * r.sx - r.cx, y: b.y * r.sy - r.cy, w: b.w * r.sx, h: b.h * r.sy }),
    };
  }
  if (p.resize === 'letterbox') {
    const lb = letterbox(img, p.size);
    return { gray: lb.image.data, toModel: (b) => toModelBox(b, lb.transform) };
  }
  const sx = p.size / img.width,
    sy = p.size / img.height;
  return { gray: stretch(img, p.size), toModel: (b) => ({ ...b, x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy }) };
}

/** Normalise a resized image into the model's CHW input. */
export function normalizeInput(gray: Float32Array, p: Preprocess): Float32Array {
  const plane = gray.length;
  const out = new Float32Array(plane * p.channels);
  const [lo, hi] = p.range ?? [0, 1];
  for (let c = 0; c < p.channels; c++) {
    const mean = p.mean[p.mean.length === 1 ? 0 : c],
      std = p.std[p.std.length === 1 ? 0 : c];
    // (lo + (hi - lo) g - mean) / std = a g + b
    const a = (hi - lo) / std,
      b = (lo - mean) / std;
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = a * gray[i] + b;
  }
  return out;
}

export function prepareInput(img: GrayImage, p: Preprocess): Float32Array {
  return normalizeInput(resizeToModel(img, p).gray, p);
}
