import type { GrayImage } from './image.js';
import { checkInt } from '../util/index.js';

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

/** Per output position along one axis: the source indices it reads and their weights. */
export interface AxisWeights {
  idx: Int32Array[];
  w: Float32Array[];
}

/** Weights of a triangle (linear) filter widened by the downscale factor so shrinking averages, not aliases. */
export function resampleAxis(srcLen: number, dstLen: number, scale: number, offset: number): AxisWeights {
  const idx: Int32Array[] = [];
  const w: Float32Array[] = [];
  const support = Math.max(1, 1 / scale);
  for (let d = 0; d < dstLen; d++) {
    const centre = (d + 0.5 - offset) / scale - 0.5;
    const lo = Math.max(0, Math.floor(centre - support) + 1);
    const hi = Math.min(srcLen - 1, Math.ceil(centre + support) - 1);
    const is: number[] = [];
    const ws: number[] = [];
    let sum = 0;
    for (let s = lo; s <= hi; s++) {
      const k = Math.max(0, 1 - Math.abs(s - centre) / support);
      if (k > 0) {
        is.push(s);
        ws.push(k);
        sum += k;
      }
    }
    if (sum === 0) {
      const s = Math.min(srcLen - 1, Math.max(0, Math.round(centre)));
      is.push(s);
      ws.push(1);
      sum = 1;
    }
    idx.push(Int32Array.from(is));
    w.push(Float32Array.from(ws.map((v) => v / sum)));
  }
  return { idx, w };
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

/**
 * Separable resample of img (horizontal pass, then vertical) with the axes' weights, written into `out`, a buffer
 * `stride` pixels wide, with its top-left output pixel at (dx, dy).
 */
export function resampleInto(
  img: GrayImage,
  xs: AxisWeights,
  ys: AxisWeights,
  out: Float32Array,
  stride: number,
  dx = 0,
  dy = 0,
): void {
  const w = xs.idx.length;
  const h = ys.idx.length;
  const tmp = new Float32Array(w * img.height);
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width;
    for (let x = 0; x < w; x++) {
      const is = xs.idx[x],
        ws = xs.w[x];
      let acc = 0;
      for (let k = 0; k < is.length; k++) acc += img.data[row + is[k]] * ws[k];
      tmp[y * w + x] = acc;
    }
  }
  for (let y = 0; y < h; y++) {
    const is = ys.idx[y],
      ws = ys.w[y];
    const dst = (y + dy) * stride + dx;
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let k = 0; k < is.length; k++) acc += tmp[is[k] * w + x] * ws[k];
      out[dst + x] = acc;
    }
  }
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
