import { readFile, readdir } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import type { Dataset, ImageRecord, LoadIssue } from '../types.js';
import { parseCsvObjects } from '../../util/index.js';
import { exists, parseBinaryLabel, toId, verifyRecords, walkImages, type LoaderOptions } from './common.js';

/** GRAZPEDWRI-DX: an images folder (possibly split into parts) plus dataset.csv and/or YOLO label folders. */
export async function isGrazpedwriFolder(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const hasImages = names.some((n) => /^images/i.test(n));
  return hasImages && (names.includes('dataset.csv') || names.some((n) => /^(labels|folder_structure)$/i.test(n)));
}

/** Folders named "labels" anywhere under root, where the YOLO txt files live. */
export async function findYoloLabelDirs(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string, depth: number): Promise<void> {
    if (depth > 4) return;
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.name.toLowerCase() === 'labels') out.push(p);
      else if (!/^images/i.test(e.name)) await walk(p, depth + 1);
    }
  }
  await walk(root, 0);
  return out.sort();
}

export async function loadGrazpedwri(dir: string, opts: LoaderOptions = {}): Promise<Dataset> {
  const root = resolve(dir);
  const issues: LoadIssue[] = [];
  const imageDirs = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && /^images/i.test(e.name))
    .map((e) => join(root, e.name))
    .sort();
  const paths: string[] = [];
  for (const d of imageDirs) paths.push(...(await walkImages(d)));
  if (paths.length === 0) throw new Error(`no images found in ${dir}`);

  // dataset.csv: one row per image keyed by filestem; tolerate missing columns.
  const meta = new Map<string, Record<string, string>>();
  const csvPath = join(root, 'dataset.csv');
  if (await exists(csvPath)) {
    for (const row of parseCsvObjects(await readFile(csvPath, 'utf8'))) {
      const stem = (row.filestem ?? row.filename ?? '').trim();
      if (stem) meta.set(stem.replace(/\.(png|jpe?g)$/i, ''), row);
    }
  }
  const records: ImageRecord[] = [];
  for (const path of paths) {
    const stem = basename(path, extname(path));
    const row = meta.get(stem);
    // File stems look like "<patient>_<timehash>_<n>_<projection>"; the CSV wins where present.
    const parts = stem.split('_');
    const patient = (row?.patient_id ?? '').trim() || parts[0];
    const time = (row?.timehash ?? '').trim() || parts[1] || stem;
    const rec: ImageRecord = { id: toId(root, path), path, patient, study: `${patient}/${time}`, part: 'XR_WRIST' };
    if (row) {
      const lab = parseBinaryLabel(row.fracture_visible);
      if (lab === null)
        issues.push({
          file: csvPath,
          message: `${csvPath}: fracture_visible "${row.fracture_visible}" for ${stem} is not 0/1; label left unknown`,
        });
      else if (lab !== undefined) rec.label = lab;
    }
    records.push(rec);
  }
  const ok = await verifyRecords(records, issues, opts.verify ?? 'header');
  return { root, format: 'grazpedwri', records: ok, issues };
}
