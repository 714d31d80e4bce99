import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Dataset, ImageRecord, LoadIssue, Split } from '../types.js';
import { SPLITS } from '../types.js';
import { parseCsvObjects } from '../../util/csv.js';
import { parseBinaryLabel, toId, verifyRecords, type LoaderOptions } from './common.js';

/**
 * A generic CSV manifest: header with path (relative to the CSV), label, patient, and optional study, split, part.
 * The dataset root is the CSV's folder.
 */
export async function loadManifest(csvPath: string, opts: LoaderOptions = {}): Promise<Dataset> {
  const csv = resolve(csvPath);
  const root = dirname(csv);
  let text: string;
  try { text = await readFile(csv, 'utf8'); } catch (err) { throw new Error(`${csvPath}: cannot read manifest (${(err as Error).message})`); }
  const rows = parseCsvObjects(text);
  if (rows.length === 0) throw new Error(`no images found in ${csvPath} (manifest has no rows)`);
  if (!('path' in rows[0])) throw new Error(`${csvPath}: manifest needs a "path" column (found: ${Object.keys(rows[0]).join(', ')})`);
  const issues: LoadIssue[] = [];
  const records: ImageRecord[] = [];
  rows.forEach((row, i) => {
    const line = i + 2;
    const rel = row.path.trim();
    if (!rel) { issues.push({ file: csv, message: `${csv}: line ${line} has an empty path` }); return; }
    const path = resolve(root, rel);
    const id = toId(root, path);
    const label = parseBinaryLabel(row.label);
    if (label === null) { issues.push({ file: path, message: `${csv}: line ${line}: label "${row.label}" is not 0/1/normal/abnormal` }); return; }
    const split = (row.split ?? '').trim().toLowerCase();
    if (split && !(SPLITS as readonly string[]).includes(split)) {
      issues.push({ file: path, message: `${csv}: line ${line}: split "${row.split}" is not one of ${SPLITS.join(', ')}` }); return;
    }
    const patient = (row.patient ?? '').trim() || id;
    const rec: ImageRecord = { id, path, patient, study: (row.study ?? '').trim() || `${patient}/${id}` };
    if (label !== undefined) rec.label = label;
    if (split) rec.split = split as Split;
    if ((row.part ?? '').trim()) rec.part = row.part.trim();
    records.push(rec);
  });
  const listedIn = new Map(records.map((r) => [r.path, csv]));
  const ok = await verifyRecords(records, issues, opts.verify ?? 'header', listedIn);
  return { root, format: 'manifest', records: ok, issues };
}
