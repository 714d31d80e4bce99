import type { GrayImage } from './image.js';
import { checkInt } from '../util/index.js';
import { resampleAxis, resampleInto } from './resample.js';

/** How an original image maps into the S x S model input: model = original * scale + offset. */
export interface LetterboxTransform {
  size: number;
  scale: number;
  offsetX: number;
  offsetY: number;
  srcWidth: number;
  srcHeight: number;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface LetterboxOptions {
  /** Applied to every output pixel (padding included) as (v - mean) / std. */
  normalize?: { mean: number; std: number };
}

/** The transform that fits width x height into size x size, aspect kept, centred. */
export function letterboxTransform(width: number, height: number, size: number): LetterboxTransform {
  const scale = Math.min(size / width, size / height);
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  return {
    size,
    scale,
    offsetX: Math.floor((size - w) / 2),
    offsetY: Math.floor((size - h) / 2),
    srcWidth: width,
    srcHeight: height,
  };
}

/** Resize keeping aspect ratio into size x size, padding with 0; returns the pixels and the transform. */
export function letterbox(
  img: GrayImage,
  size: number,
  opts: LetterboxOptions = {},
): { image: GrayImage; transform: LetterboxTransform } {
  checkInt('size', size, 1, 1 << 15);
  const t = letterboxTransform(img.width, img.height, size);
  const w = Math.max(1, Math.round(img.width * t.scale));
  const h = Math.max(1, Math.round(img.height * t.scale));
  const xs = resampleAxis(img.width, w, t.scale, 0);
  const ys = resampleAxis(img.height, h, t.scale, 0);
  const out = new Float32Array(size * size);
  resampleInto(img, xs, ys, out, size, t.offsetX, t.offsetY);
  if (opts.normalize) {
    const { mean, std } = opts.normalize;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] - mean) / std;
  }
  return { image: { width: size, height: size, data: out, bits: img.bits }, transform: t };
}

/** Map a box from original-image pixels to model-input pixels. */
export function toModelBox<B extends Rect>(box: B, t: LetterboxTransform): B {
  return {
    ...box,
    x: box.x * t.scale + t.offsetX,
    y: box.y * t.scale + t.offsetY,
    w: box.w * t.scale,
    h: box.h * t.scale,
  };
}

/** Map a box from model-input pixels back to original-image pixels. */
export function toOriginalBox<B extends Rect>(box: B, t: LetterboxTransform): B {
  return {
    ...box,
    x: (box.x - t.offsetX) / t.scale,
    y: (box.y - t.offsetY) / t.scale,
    w: box.w / t.scale,
    h: box.h / t.scale,
  };
}

/** What a model takes: letterboxed to size x size, intensities in [0, 1] normalised as (v - mean) / std. */
export interface InputSpec {
  size: number;
  mean: number;
  std: number;
}

export interface ModelInput {
  /** The normalised size x size input. */
  input: Float32Array;
  /** The same letterboxed pixels before normalising, in [0, 1] (for overlays). */
  pixels: Float32Array;
  transform: LetterboxTransform;
}

/**
 * The one resize-and-normalise every stage uses (training, prediction, CAM, the counterfactual): one letterbox,
 * then (v - mean) / std over every pixel, padding included. Equal, value for value, to
 * letterbox(img, size, { normalize }).
 */
export function toModelInput(img: GrayImage, spec: InputSpec): ModelInput {
  const { image, transform } = letterbox(img, spec.size);
  const pixels = image.data;
  const input = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) input[i] = (pixels[i] - spec.mean) / spec.std;
  return { input, pixels, transform };
}

/** The normalised input alone: what a scorer's `prepare` returns. */
export function modelInput(img: GrayImage, spec: InputSpec): Float32Array {
  return toModelInput(img, spec).input;
}
