import type { GrayImage } from '../data/index.js';
import { letterbox, resampleAxis, resampleChanged, resampleInto, toModelBox, type Rect } from '../data/index.js';
import type { AxisWeights } from '../data/index.js';
import type { ImageVariant } from '../engine/index.js';
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

/** The two axes of an antialiased resample: output pixel (x, y) centred at ((x + 0.5 - ox) / sx - 0.5, ...). */
interface Resampling {
  xs: AxisWeights;
  ys: AxisWeights;
  outW: number;
  outH: number;
}

function resampling(img: GrayImage, outW: number, outH: number, sx: number, sy: number, ox: number, oy: number) {
  return { xs: resampleAxis(img.width, outW, sx, ox), ys: resampleAxis(img.height, outH, sy, oy), outW, outH };
}

/** The whole resample, with its horizontal pass kept for copies of the image changed in places. */
function resampleAll(img: GrayImage, r: Resampling): { out: Float32Array; tmp: Float32Array } {
  const out = new Float32Array(r.outW * r.outH);
  return { out, tmp: resampleInto(img, r.xs, r.ys, out, r.outW) };
}

/**
 * Stretch to size x size with the same antialiased triangle filter as the letterbox (PIL / torchvision
 * bilinear with antialias), each axis scaled on its own.
 */
export function stretch(img: GrayImage, size: number): Float32Array {
  return resampleAll(img, resampling(img, size, size, size / img.width, size / img.height, 0, 0)).out;
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
function cropFrame(img: GrayImage, size: number, fraction: number): ResampledFrame {
  const R = Math.max(size, Math.round(size / fraction));
  const { width: w, height: h } = img;
  const [lw, lh] = w <= h ? [R, Math.floor((R * h) / w)] : [Math.floor((R * w) / h), R];
  const cx = roundHalfEven((lw - size) / 2),
    cy = roundHalfEven((lh - size) / 2);
  const sx = lw / w,
    sy = lh / h;
  return {
    resampling: resampling(img, size, size, sx, sy, -cx, -cy),
    toModel: (b) => ({ ...b, x: b.x * sx - cx, y: b.y * sy - cy, w: b.w * sx, h: b.h * sy }),
  };
}

/** A stretch or a centre crop: one resampling of the image, and how boxes map into its frame. */
interface ResampledFrame {
  resampling: Resampling;
  toModel<B extends Rect>(box: B): B;
}

/** The resampled frame of img under p, or null for a letterbox (data's letterbox() makes it). */
function resampledFrame(img: GrayImage, p: Preprocess): ResampledFrame | null {
  if (p.centerCrop !== undefined) return cropFrame(img, p.size, p.centerCrop);
  if (p.resize === 'letterbox') return null;
  const sx = p.size / img.width,
    sy = p.size / img.height;
  return {
    resampling: resampling(img, p.size, p.size, sx, sy, 0, 0),
    toModel: (b) => ({ ...b, x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy }),
  };
}

export function resizeToModel(img: GrayImage, p: Preprocess): Resized {
  const f = resampledFrame(img, p);
  if (f) return { gray: resampleAll(img, f.resampling).out, toModel: f.toModel };
  const lb = letterbox(img, p.size);
  return { gray: lb.image.data, toModel: (b) => toModelBox(b, lb.transform) };
}

/**
 * resizeToModel's gray for img and for each variant of it (same size), identical to resizing each on its own: a
 * stretch or crop resamples img once and, per variant, redoes only the output pixels that the changed rects reach.
 */
export function resizeVariants(img: GrayImage, variants: readonly ImageVariant[], p: Preprocess): Float32Array[] {
  const f = resampledFrame(img, p);
  if (!f) return [img, ...variants.map((v) => v.image)].map((im) => resizeToModel(im, p).gray);
  const base = resampleAll(img, f.resampling);
  const out = [base.out];
  for (const v of variants) {
    if (v.image.width !== img.width || v.image.height !== img.height)
      throw new Error(
        `resizeVariants: a ${v.image.width}x${v.image.height} variant of a ${img.width}x${img.height} image`,
      );
    out.push(resampleChanged(v.image, v.changed, f.resampling.xs, f.resampling.ys, base));
  }
  return out;
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
