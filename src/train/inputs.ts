import type { ImageRecord } from '../data/types.js';
import { readImage } from '../data/read-image.js';
import { letterbox } from '../data/letterbox.js';

/** Model inputs are letterboxed to size x size, intensities in [0,1] normalised as (v - mean) / std. */
export interface InputSpec { size: number; mean: number; std: number }
export const DEFAULT_INPUT: Omit<InputSpec, 'size'> = { mean: 0.5, std: 0.25 };

/** Read one image as a normalised size x size model input. */
export async function loadInput(record: ImageRecord, spec: InputSpec): Promise<Float32Array> {
  const img = await readImage(record.path);
  return letterbox(img, spec.size, { normalize: { mean: spec.mean, std: spec.std } }).image.data;
}

/**
 * Decoded inputs kept in memory up to a byte budget, so later epochs skip decoding.
 * Large datasets beyond the budget are decoded on every pass.
 */
export class InputCache {
  private readonly cache = new Map<string, Float32Array>();
  private bytes = 0;

  constructor(private readonly spec: InputSpec, private readonly budgetBytes = 2 ** 31) {}

  async get(record: ImageRecord): Promise<Float32Array> {
    const hit = this.cache.get(record.id);
    if (hit) return hit;
    const input = await loadInput(record, this.spec);
    if (this.bytes + input.byteLength <= this.budgetBytes) {
      this.cache.set(record.id, input);
      this.bytes += input.byteLength;
    }
    return input;
  }
}

/** Fill one NCHW batch (C = 1) from records, with an optional per-image transform (augmentation). */
export async function assembleBatch(
  records: readonly ImageRecord[],
  cache: InputCache,
  size: number,
  transform?: (src: Float32Array, index: number, out: Float32Array) => void,
): Promise<Float32Array> {
  const plane = size * size;
  const batch = new Float32Array(records.length * plane);
  const inputs = await Promise.all(records.map((r) => cache.get(r)));
  inputs.forEach((src, i) => {
    const out = batch.subarray(i * plane, (i + 1) * plane);
    if (transform) transform(src, i, out);
    else out.set(src);
  });
  return batch;
}
