import { readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { ImageRecord, LoadIssue } from '../types.js';
import { isImagePath, probeImage } from '../read-image.js';
import { expandFrames } from './frames.js';

/** How hard a loader checks each image: not at all, header only (default), or full decode. */
export type VerifyLevel = 'none' | 'header';

export interface LoaderOptions {
  verify?: VerifyLevel;
  /** Read files a manifest (or a MURA CSV) names outside its folder; refused by default. */
  allowOutside?: boolean;
}

/** Path relative to root with forward slashes: the ImageRecord id. */
export function toId(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** All image files under dir, sorted, skipping hidden entries. */
export async function walkImages(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && isImagePath(p)) out.push(p);
    }
  }
  await walk(dir);
  return out;
}

/** True when `path`, symlinks resolved (where it exists), lies inside the folder `root` (itself resolved). */
export async function isInside(root: string, path: string): Promise<boolean> {
  const r = await realpath(root).catch(() => root);
  const p = await realpath(path).catch(() => path);
  const rel = relative(r, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The issue for a listed file outside the list's folder (the loader skips it unless allowOutside). */
export function outsideIssue(list: string, line: number, listed: string, root: string, path: string) {
  return {
    file: path,
    message:
      `${list}: line ${line}: "${listed}" resolves outside ${root} (the folder of the list); ` +
      'give --allow-outside to read files elsewhere',
  };
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Check every record's file (existence, and header when verify='header'), with bounded concurrency.
 * Bad ones become issues naming the file; the good ones are returned in input order.
 */
export async function verifyRecords(
  records: ImageRecord[],
  issues: LoadIssue[],
  verify: VerifyLevel = 'header',
  listedIn?: ReadonlyMap<string, string>,
): Promise<ImageRecord[]> {
  const ok = new Array<boolean>(records.length).fill(false);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < records.length) {
      const i = next++;
      const r = records[i];
      try {
        const st = await stat(r.path).catch(() => null);
        if (!st?.isFile()) {
          const src = listedIn?.get(r.path);
          throw new Error(`${r.path}: file not found${src ? ` (listed in ${src})` : ''}`);
        }
        if (verify === 'header') Object.assign(r, await probeImage(r.path));
        ok[i] = true;
      } catch (err) {
        issues.push({ file: r.path, message: (err as Error).message });
      }
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker));
  issues.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return expandFrames(records.filter((_, i) => ok[i]));
}

/** Parse 0/1, normal/abnormal, negative/positive, false/true; undefined for empty; null when unrecognised. */
export function parseBinaryLabel(v: string | undefined): 0 | 1 | undefined | null {
  const s = (v ?? '').trim().toLowerCase();
  if (s === '') return undefined;
  if (['1', '1.0', 'abnormal', 'positive', 'true', 'yes'].includes(s)) return 1;
  if (['0', '0.0', 'normal', 'negative', 'false', 'no'].includes(s)) return 0;
  return null;
}
