import type { ImageRecord, LoadIssue } from '../data/index.js';
import { readImage } from '../data/index.js';
import { modelInput, type InputSpec } from '../data/index.js';
import { progress } from '../util/index.js';

export type { InputSpec };
export const DEFAULT_INPUT: Omit<InputSpec, 'size'> = { mean: 0.5, std: 0.25 };

/** Read one image as a normalised size x size model input. */
export async function loadInput(record: ImageRecord, spec: InputSpec): Promise<Float32Array> {
  return modelInput(await readImage(record.path, { frame: record.frame }), spec);
}

/**
 * Decoded inputs kept in memory up to a byte budget, so later epochs skip decoding.
 * Large datasets beyond the budget are decoded on every pass.
 */
export class InputCache {
  private readonly cache = new Map<string, Float32Array>();
  private bytes = 0;

  constructor(
    private readonly spec: InputSpec,
    private readonly budgetBytes = 2 ** 31,
  ) {}

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

  /**
   * Decode every record once (filling the cache up to its budget) and return the ones that decode, in order;
   * each one that does not is added to `skipped` with its file and the reason. A header that reads but a body
   * that does not (a truncated PNG) is found here, before training starts, not half-way through an epoch.
   */
  async readable(
    records: readonly ImageRecord[],
    skipped: LoadIssue[],
    what = 'reading images',
  ): Promise<ImageRecord[]> {
    const ok = new Array<boolean>(records.length).fill(false);
    const failed = new Array<LoadIssue | undefined>(records.length);
    const bar = progress(what, records.length);
    let next = 0;
    const worker = async () => {
      while (next < records.length) {
        const i = next++;
        try {
          await this.get(records[i]);
          ok[i] = true;
        } catch (err) {
          failed[i] = { file: records[i].path, message: (err as Error).message };
        }
        bar.tick();
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    bar.stop();
    for (const f of failed) if (f) skipped.push(f);
    return records.filter((_, i) => ok[i]);
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
