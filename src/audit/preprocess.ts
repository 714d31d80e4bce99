import type { GrayImage } from '../data/image.js';
import { letterbox, resampleAxis, toModelBox, type Rect } from '../data/letterbox.js';
import { checkChoice, checkInt, checkNumber, InvalidParameterError } from '../util/options.js';

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
  for (const [name, list] of [['mean', p.mean], ['std', p.std]] as const) {
    if (list.length !== 1 && list.length !== p.channels) {
      throw new InvalidParameterError(name, `1 value or ${p.channels} (one per channel)`, list.join(','));
    }
    for (const v of list) checkNumber(name, v);
  }
  for (const s of p.std) if (s === 0) throw new InvalidParameterError('std', 'non-zero values', p.std.join(','));
  return p;
}

/**
 * Stretch to size x size with the same antialiased triangle filter as the letterbox (PIL / torchvision
 * bilinear with antialias), each axis scaled on its own.
 */
export function stretch(img: GrayImage, size: number): Float32Array {
  const sx = size / img.width, sy = size / img.height;
  const xs = resampleAxis(img.width, size, sx, 0);
  const ys = resampleAxis(img.height, size, sy, 0);
  const tmp = new Float32Array(size * img.height);
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width;
    for (let x = 0; x < size; x++) {
      const is = xs.idx[x], ws = xs.w[x];
      let acc = 0;
      for (let k = 0; k < is.length; k++) acc += img.data[row + is[k]] * ws[k];
      tmp[y * size + x] = acc;
    }
  }
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    const is = ys.idx[y], ws = ys.w[y];
    for (let x = 0; x < size; x++) {
      let acc = 0;
      for (let k = 0; k < is.length; k++) acc += tmp[is[k] * size + x] * ws[k];
      out[y * size + x] = acc;
    }
  }
  return out;
}

export function resizeToModel(img: GrayImage, p: Preprocess): Resized {
  if (p.resize === 'letterbox') {
    const lb = letterbox(img, p.size);
    return { gray: lb.image.data, toModel: (b) => toModelBox(b, lb.transform) };
  }
  const sx = p.size / img.width, sy = p.size / img.height;
  return { gray: stretch(img, p.size), toModel: (b) => ({ ...b, x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy }) };
}

/** Normalise a resized image into the model's CHW input. */
export function normalizeInput(gray: Float32Array, p: Preprocess): Float32Array {
  const plane = gray.length;
  const out = new Float32Array(plane * p.channels);
  for (let c = 0; c < p.channels; c++) {
    const mean = p.mean[p.mean.length === 1 ? 0 : c], std = p.std[p.std.length === 1 ? 0 : c];
    const base = c * plane;
    for (let i = 0; i < plane; i++) out[base + i] = (gray[i] - mean) / std;
  }
  return out;
}

export function prepareInput(img: GrayImage, p: Preprocess): Float32Array {
  return normalizeInput(resizeToModel(img, p).gray, p);
}
