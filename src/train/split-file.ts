import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageRecord } from '../data/index.js';
import { writeJsonAtomic } from '../util/index.js';
import type { StudySplits } from './splits.js';

/** RUN/split.json: the image ids of each split, so variant arms train and test on exactly the same patients. */
export async function writeSplitFile(runDir: string, s: StudySplits): Promise<void> {
  await writeJsonAtomic(join(runDir, 'split.json'), {
    how: s.how,
    train: s.train.map((r) => r.id),
    valid: s.valid.map((r) => r.id),
    test: s.test.map((r) => r.id),
  });
}

/** Apply another run's split to records of a variant dataset (same ids). Ids it lacks are an error. */
export async function applySplitFile(
  runDir: string,
  records: readonly ImageRecord[],
  flag = '--variant-of',
): Promise<StudySplits> {
  const path = join(runDir, 'split.json');
  const saved = JSON.parse(
    await readFile(path, 'utf8').catch(() => {
      throw new Error(`${flag} ${runDir}: ${path} not found (${flag} needs a finished training run)`);
    }),
  ) as Record<'train' | 'valid' | 'test', string[]> & { how: string };
  const byId = new Map(records.map((r) => [r.id, r]));
  const pick = (ids: string[]) =>
    ids.map((id) => {
      const r = byId.get(id);
      if (!r) throw new Error(`${path}: image ${id} of that run's split is not in this dataset`);
      return r;
    });
  return { train: pick(saved.train), valid: pick(saved.valid), test: pick(saved.test), how: `split of ${runDir}` };
}
