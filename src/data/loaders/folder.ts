import { resolve } from 'node:path';
import type { Dataset, ImageRecord, LoadIssue } from '../types.js';
import { toId, verifyRecords, walkImages, type LoaderOptions } from './common.js';
import { groupDicomByPatient } from './dicom-identity.js';

/**
 * Every image under a folder, recursively, without labels. DICOM files are grouped by their PatientID and
 * StudyInstanceUID (pseudonymised); any other image counts as its own patient and study.
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
  const ok = await verifyRecords(await groupDicomByPatient(records), issues, opts.verify ?? 'header');
  return { root, format: 'folder', records: ok, issues };
}
