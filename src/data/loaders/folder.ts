import { resolve } from 'node:path';
import type { Dataset, ImageRecord, LoadIssue } from '../types.js';
import { toId, verifyRecords, walkImages, type LoaderOptions } from './common.js';

/**
 * Every image under a folder, recursively, without labels. With no patient information each image
 * counts as its own patient and study (so a patient split cannot group them; say so to the user).
 */
export async function loadFolder(dir: string, opts: LoaderOptions = {}): Promise<Dataset> {
  const root = resolve(dir);
  const paths = await walkImages(root);
  if (paths.length === 0) throw new Error(`no images found in ${dir}`);
  const issues: LoadIssue[] = [];
  const records: ImageRecord[] = paths.map((path) => {
    const id = toId(root, path);
    return { id, path, patient: id, study: id };
  });
  const ok = await verifyRecords(records, issues, opts.verify ?? 'header');
  return { root, format: 'folder', records: ok, issues };
}
