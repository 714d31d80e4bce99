import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Dataset, ImageRecord, LoadIssue, Split } from '../types.js';
import { SPLITS } from '../types.js';
import { parseCsv, parseCsvObjects } from '../../util/index.js';
import { isInside, outsideIssue, parseBinaryLabel, toId, verifyRecords, type LoaderOptions } from './common.js';

/** The columns of a box file (path,x,y,w,h[,category]): a CSV with them is never a manifest. */
const BOX_COLUMNS = ['path', 'x', 'y', 'w', 'h'];

/** What a CSV's header says it is: a manifest (path and label, or named manifest.csv), a box file, or neither. */
export function csvKind(name: string, header: readonly string[]): 'manifest' | 'boxes' | 'other' {
  const cols = header.map((h) => h.trim().toLowerCase());
  if (BOX_COLUMNS.every((c) => cols.includes(c))) return 'boxes';
  if (!cols.includes('path')) return 'other';
  return cols.includes('label') || basename(name).toLowerCase() === 'manifest.csv' ? 'manifest' : 'other';
}

/** The header row of a CSV file. */
export async function csvHeader(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return parseCsv(text.split(/\r?\n/, 1)[0] ?? '')[0] ?? [];
}

/**
 * A generic CSV manifest: header with path (relative to the CSV), label, patient, and optional study, split, part.
 * The dataset root is the CSV's folder; every listed file must lie inside it (symlinks resolved) unless
 * `allowOutside`. A path listed twice is an error naming it: the copies could land on both sides of a split.
 */
export async function loadManifest(csvPath: string, opts: LoaderOptions = {}): Promise<Dataset> {
  const csv = resolve(csvPath);
  const root = dirname(csv);
  let text: string;
  try {
    text = await readFile(csv, 'utf8');
  } catch (err) {
    throw new Error(`${csvPath}: cannot read manifest (${(err as Error).message})`);
  }
  const rows = parseCsvObjects(text);
  if (rows.length === 0) throw new Error(`no images found in ${csvPath} (manifest has no rows)`);
  const header = Object.keys(rows[0]);
  if (!header.includes('path'))
    throw new Error(`${csvPath}: manifest needs a "path" column (found: ${header.join(', ')})`);
  if (csvKind(csv, header) === 'boxes') {
    throw new Error(
      `${csvPath}: this is a box file (columns ${header.join(', ')}), not a manifest; give it as --boxes`,
    );
  }
  const issues: LoadIssue[] = [];
  const records: ImageRecord[] = [];
  const lines = new Map<string, number[]>();
  for (const [i, row] of rows.entries()) {
    const line = i + 2;
    const rel = row.path.trim();
    if (!rel) {
      issues.push({ file: csv, message: `${csv}: line ${line} has an empty path` });
      continue;
    }
    const path = resolve(root, rel);
    lines.set(path, [...(lines.get(path) ?? []), line]);
    if (!opts.allowOutside && !(await isInside(root, path))) {
      issues.push(outsideIssue(csv, line, rel, root, path));
      continue;
    }
    const id = toId(root, path);
    const label = parseBinaryLabel(row.label);
    if (label === null) {
      issues.push({ file: path, message: `${csv}: line ${line}: label "${row.label}" is not 0/1/normal/abnormal` });
      continue;
    }
    const split = (row.split ?? '').trim().toLowerCase();
    if (split && !(SPLITS as readonly string[]).includes(split)) {
      issues.push({
        file: path,
        message: `${csv}: line ${line}: split "${row.split}" is not one of ${SPLITS.join(', ')}`,
      });
      continue;
    }
    const patient = (row.patient ?? '').trim() || id;
    const rec: ImageRecord = { id, path, patient, study: (row.study ?? '').trim() || `${patient}/${id}` };
    if (label !== undefined) rec.label = label;
    if (split) rec.split = split as Split;
    if ((row.part ?? '').trim()) rec.part = row.part.trim();
    records.push(rec);
  }
  const repeated = [...lines].filter(([, at]) => at.length > 1);
  if (repeated.length) {
    const named = repeated
      .slice(0, 5)
      .map(([p, at]) => `${toId(root, p)} (lines ${at.join(', ')})`)
      .join('; ');
    throw new Error(
      `${csvPath}: ${repeated.length} path(s) listed more than once, which would let one image fall on both ` +
        `sides of a split: ${named}${repeated.length > 5 ? '; ...' : ''}`,
    );
  }
  const listedIn = new Map(records.map((r) => [r.path, csv]));
  const ok = await verifyRecords(records, issues, opts.verify ?? 'header', listedIn);
  return { root, format: 'manifest', records: ok, issues };
}
