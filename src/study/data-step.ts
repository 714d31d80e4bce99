import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Dataset } from '../data/index.js';
import { settingsKey } from './steps.js';

/**
 * What a step that reads the dataset depends on: every record's identity, label and path within the data, and each
 * file's size and modification time (so a moved study or data folder keeps its keys), so an edited, added or removed image changes the key without hashing every pixel.
 */
export async function datasetFingerprint(ds: Dataset): Promise<string> {
  const rows: unknown[] = [];
  for (const r of ds.records) {
    const s = await stat(r.path);
    rows.push([r.id, relative(ds.root, r.path), r.label ?? null, r.patient, r.study, s.size, Math.round(s.mtimeMs)]);
  }
  return settingsKey(rows);
}

/** A file's content hash (for small inputs such as a boxes file). */
export async function fileKey(path: string): Promise<string> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (err) {
    throw new Error(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return createHash('sha256').update(data).digest('hex').slice(0, 16);
}
