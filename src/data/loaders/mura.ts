import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Dataset, ImageRecord, LoadIssue, Split } from '../types.js';
import { SPLITS } from '../types.js';
import { parseCsv } from '../../util/index.js';
import { exists, isInside, outsideIssue, toId, verifyRecords, walkImages, type LoaderOptions } from './common.js';

const MURA_PATH = /(?:^|\/)(train|valid|test)\/(XR_[A-Z_]+)\/(patient\d+)\/(study\d+_(positive|negative))\/[^/]+$/i;

/** Parse split, part, patient, study and label from a MURA-style relative path; null if it does not match. */
export function parseMuraPath(id: string): Pick<ImageRecord, 'split' | 'part' | 'patient' | 'study' | 'label'> | null {
  const m = MURA_PATH.exec(id);
  if (!m) return null;
  const [, split, part, patient, study, outcome] = m;
  return {
    split: split.toLowerCase() as Split,
    part,
    patient,
    study: `${part}/${patient}/${study}`,
    label: outcome.toLowerCase() === 'positive' ? 1 : 0,
  };
}

/** A folder is MURA if it has {split}_image_paths.csv or a split folder holding XR_* folders. */
export async function isMuraFolder(dir: string): Promise<boolean> {
  for (const s of SPLITS) {
    if (await exists(join(dir, `${s}_image_paths.csv`))) return true;
    const sub = join(dir, s);
    if (await exists(sub)) {
      const names = await readdir(sub).catch(() => [] as string[]);
      if (names.some((n) => /^XR_/i.test(n))) return true;
    }
  }
  return false;
}

/**
 * Resolve a path listed in a MURA CSV. The official CSVs name paths from the parent of the dataset folder
 * ("MURA-v1.1/train/..."); also accept paths relative to the folder itself.
 */
async function resolveListed(root: string, p: string): Promise<string> {
  const clean = p.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const direct = resolve(root, clean);
  if (await exists(direct)) return direct;
  const first = clean.split('/')[0];
  if (first === basename(root)) return resolve(dirname(root), clean);
  const stripped = clean.replace(/^[^/]+\//, '');
  if (/^(train|valid|test)\//i.test(stripped) && (await exists(resolve(root, stripped))))
    return resolve(root, stripped);
  return direct;
}

export async function loadMura(dir: string, opts: LoaderOptions = {}): Promise<Dataset> {
  const root = resolve(dir);
  const issues: LoadIssue[] = [];
  const paths: string[] = [];
  const seen = new Set<string>();
  const listedIn = new Map<string, string>();
  for (const s of SPLITS) {
    const csv = join(root, `${s}_image_paths.csv`);
    if (await exists(csv)) {
      const rows = parseCsv(await readFile(csv, 'utf8'));
      for (const [i, row] of rows.entries()) {
        const p = (row[0] ?? '').trim();
        if (!p || !/\.(png|jpe?g|dcm)$/i.test(p)) continue; // header or blank line
        const abs = await resolveListed(root, p);
        if (!opts.allowOutside && !(await isInside(root, abs))) {
          issues.push(outsideIssue(csv, i + 1, p, root, abs));
          continue;
        }
        if (!seen.has(abs)) {
          seen.add(abs);
          paths.push(abs);
          listedIn.set(abs, csv);
        }
      }
    } else if (await exists(join(root, s))) {
      for (const abs of await walkImages(join(root, s)))
        if (!seen.has(abs)) {
          seen.add(abs);
          paths.push(abs);
        }
    }
  }
  if (paths.length === 0) throw new Error(`no images found in ${dir}`);
  const records: ImageRecord[] = [];
  for (const path of paths) {
    const id = toId(root, path);
    const meta = parseMuraPath(id);
    if (!meta) {
      issues.push({
        file: path,
        message: `${path}: path does not follow the MURA layout {split}/XR_<PART>/patientN/studyM_{positive,negative}/imageK`,
      });
      continue;
    }
    records.push({ id, path, ...meta });
  }
  const ok = await verifyRecords(records, issues, opts.verify ?? 'header', listedIn);
  return { root, format: 'mura', records: ok, issues };
}
