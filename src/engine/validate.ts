import { InvalidParameterError, checkInt } from '../util/index.js';
import { minimumSide, type Arch } from './archs.js';

/** Batch geometry of a Float32Array of images in NCHW order (C is the model's channel count). */
export interface BatchShape {
  n: number;
  height: number;
  width: number;
}

/** Index of the first NaN or infinite value, or -1. */
function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

export function checkImages(images: unknown, shape: BatchShape, channels: number, arch: Arch): Float32Array {
  checkInt('n', shape.n, 1);
  const min = minimumSide(arch); // smaller inputs leave no final feature map
  checkInt('height', shape.height, min, 65536);
  checkInt('width', shape.width, min, 65536);
  const expected = shape.n * channels * shape.height * shape.width;
  if (!(images instanceof Float32Array) || images.length !== expected) {
    throw new InvalidParameterError(
      'images',
      `a Float32Array of n*channels*height*width = ${shape.n}*${channels}*${shape.height}*${shape.width} = ${expected} values`,
      images,
    );
  }
  const bad = firstNonFinite(images);
  if (bad >= 0) throw new InvalidParameterError('images', 'finite values', `${images[bad]} at index ${bad}`);
  return images;
}

/** Per-image numbers (targets, loss weights): n finite values within [min, max]. */
export function checkPerImage(parameter: string, values: unknown, n: number, min: number, max: number): Float32Array {
  if (!(values instanceof Float32Array) || values.length !== n) {
    throw new InvalidParameterError(parameter, `a Float32Array of ${n} values (one per image)`, values);
  }
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < min || v > max) {
      throw new InvalidParameterError(parameter, `finite values in [${min}, ${max}]`, `${v} at index ${i}`);
    }
  }
  return values;
}
