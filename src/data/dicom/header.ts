import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type dicomParser from 'dicom-parser';
import { isDicomBytes, parseDicomBytes, transferSyntaxOf } from '../dicom.js';

/** The tags confound reads besides pixels. Identifiers stay in memory: callers pseudonymise before output. */
export interface DicomHeader {
  patientId?: string;
  studyUid?: string;
  seriesUid?: string;
  sopInstanceUid?: string;
  /** Burned In Annotation (0028,0301). */
  burnedIn?: 'YES' | 'NO';
  /** Image Laterality (0020,0062), else the series' Laterality (0020,0060). */
  laterality?: 'L' | 'R' | 'B' | 'U';
  frames: number;
  syntax: string;
}

const HEAD_BYTES = 256 * 1024;

function text(ds: dicomParser.DataSet, tag: string): string | undefined {
  const v = ds.string(tag)?.replace(/\0/g, '').trim();
  return v ? v : undefined;
}

export function headerOf(ds: dicomParser.DataSet): DicomHeader {
  const burned = text(ds, 'x00280301')?.toUpperCase();
  const lat = (text(ds, 'x00200062') ?? text(ds, 'x00200060'))?.toUpperCase();
  return {
    patientId: text(ds, 'x00100020'),
    studyUid: text(ds, 'x0020000d'),
    seriesUid: text(ds, 'x0020000e'),
    sopInstanceUid: text(ds, 'x00080018'),
    burnedIn: burned === 'YES' || burned === 'NO' ? burned : undefined,
    laterality: lat === 'L' || lat === 'R' || lat === 'B' || lat === 'U' ? lat : undefined,
    frames: ds.intString('x00280008') ?? 1,
    syntax: transferSyntaxOf(ds),
  };
}

/** Read a DICOM file's header (up to the pixel data), reading only its first 256 KiB when that holds it. */
export async function readDicomHeader(path: string): Promise<DicomHeader> {
  const fh = await open(path, 'r').catch((err: Error) => { throw new Error(`${path}: cannot read file (${err.message})`); });
  try {
    const size = (await fh.stat()).size;
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await fh.read(head, 0, head.length, 0);
    try {
      return headerOf(parseDicomBytes(head, path, 'x7fe00010'));
    } catch (err) {
      if (head.length === size) throw err;
    }
    const all = Buffer.alloc(size);
    await fh.read(all, 0, size, 0);
    return headerOf(parseDicomBytes(all, path, 'x7fe00010'));
  } finally {
    await fh.close();
  }
}

/** A .dcm/.dicom name, or (for names without an image extension) the part-10 magic in the file. */
export async function isDicomPath(path: string): Promise<boolean> {
  const ext = extname(path).toLowerCase();
  if (ext === '.dcm' || ext === '.dicom') return true;
  if (ext === '.png' || ext === '.jpg' || ext === '.jpeg') return false;
  const fh = await open(path, 'r').catch(() => null);
  if (!fh) return false;
  try {
    const buf = Buffer.alloc(132);
    const { bytesRead } = await fh.read(buf, 0, 132, 0);
    return bytesRead === 132 && isDicomBytes(buf);
  } finally {
    await fh.close();
  }
}
