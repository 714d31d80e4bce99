import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from './types.js';
import { checkChoice } from '../util/index.js';
import { isMuraFolder, loadMura } from './loaders/mura.js';
import { isGrazpedwriFolder, loadGrazpedwri } from './loaders/grazpedwri.js';
import { csvHeader, csvKind, loadManifest } from './loaders/manifest.js';
import { loadFolder } from './loaders/folder.js';
import type { VerifyLevel } from './loaders/common.js';

export type DatasetFormat = Dataset['format'];
export const DATASET_FORMATS: readonly DatasetFormat[] = ['mura', 'grazpedwri', 'manifest', 'folder'];

export interface LoadOptions {
  format?: DatasetFormat | 'auto';
  /** 'header' (default) checks each image decodes its header; 'none' only checks the list. */
  verify?: VerifyLevel;
  /** Read files a manifest names outside its folder (refused by default). */
  allowOutside?: boolean;
}

/**
 * The manifest in dir (manifest.csv preferred): a CSV whose header has path and label, or one named
 * manifest.csv with a path column; never a box file (path,x,y,w,h[,category]) kept beside the images.
 */
async function findManifest(dir: string): Promise<string | undefined> {
  const names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
  names.sort((a, b) => Number(b === 'manifest.csv') - Number(a === 'manifest.csv'));
  for (const n of names) {
    if (csvKind(n, await csvHeader(join(dir, n)).catch(() => [])) === 'manifest') return join(dir, n);
  }
  return undefined;
}

/** Work out which layout a path holds. */
export async function detectFormat(path: string): Promise<{ format: DatasetFormat; root: string }> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new Error(`${path}: no such file or folder`);
  if (st.isFile()) {
    if (path.toLowerCase().endsWith('.csv')) return { format: 'manifest', root: path };
    throw new Error(`${path}: expected a dataset folder or a CSV manifest`);
  }
  if (await isMuraFolder(path)) return { format: 'mura', root: path };
  // Pointed at the parent of MURA-v1.1?
  const nested = join(path, 'MURA-v1.1');
  if (await isMuraFolder(nested)) return { format: 'mura', root: nested };
  if (await isGrazpedwriFolder(path)) return { format: 'grazpedwri', root: path };
  const manifest = await findManifest(path);
  if (manifest) return { format: 'manifest', root: manifest };
  return { format: 'folder', root: path };
}

/** Load a dataset from a folder (or a CSV manifest), auto-detecting its layout unless format is given. */
export async function loadDataset(path: string, opts: LoadOptions = {}): Promise<Dataset> {
  const want = opts.format && opts.format !== 'auto' ? checkChoice('format', opts.format, DATASET_FORMATS) : undefined;
  let root = path;
  let format: DatasetFormat;
  if (want) {
    format = want;
    if (want === 'manifest' && (await stat(path).catch(() => null))?.isDirectory()) {
      const m = await findManifest(path);
      if (!m)
        throw new Error(
          `${path}: no manifest CSV (columns path and label, or named manifest.csv) for --format manifest`,
        );
      root = m;
    }
  } else {
    ({ format, root } = await detectFormat(path));
  }
  const lo = { verify: opts.verify, allowOutside: opts.allowOutside };
  switch (format) {
    case 'mura':
      return loadMura(root, lo);
    case 'grazpedwri':
      return loadGrazpedwri(root, lo);
    case 'manifest':
      return loadManifest(root, lo);
    case 'folder':
      return loadFolder(root, lo);
  }
}
