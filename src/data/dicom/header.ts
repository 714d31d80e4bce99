/**
 * DICOM headers, read with dicom-parser up to the pixel data (never decoding it). What a curator screens for
 * confounders (scanner, site, view, acquisition) is kept apart from what identifies a person or an exam.
 */
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

type Kind = 'string' | 'us';

/** Fields that describe the acquisition: safe to write to a curation table. Name -> tag (and how to read it). */
export const DICOM_HEADER_FIELDS: Readonly<Record<string, readonly [string, Kind]>> = {
  Manufacturer: ['x00080070', 'string'],
  ManufacturerModelName: ['x00081090', 'string'],
  StationName: ['x00081010', 'string'],
  InstitutionName: ['x00080080', 'string'],
  Modality: ['x00080060', 'string'],
  BodyPartExamined: ['x00180015', 'string'],
  ViewPosition: ['x00185101', 'string'],
  ImageLaterality: ['x00200062', 'string'],
  PhotometricInterpretation: ['x00280004', 'string'],
  BitsStored: ['x00280101', 'us'],
  Rows: ['x00280010', 'us'],
  Columns: ['x00280011', 'us'],
  KVP: ['x00180060', 'string'],
  PixelSpacing: ['x00280030', 'string'],
  BurnedInAnnotation: ['x00280301', 'string'],
  PatientSex: ['x00100040', 'string'],
  PatientAge: ['x00101010', 'string'],
};

/** Fields that identify a person or an exam: read only when asked (`--keep-identifiers`). */
export const DICOM_IDENTIFIER_FIELDS: Readonly<Record<string, readonly [string, Kind]>> = {
  PatientName: ['x00100010', 'string'],
  PatientID: ['x00100020', 'string'],
  PatientBirthDate: ['x00100030', 'string'],
  AccessionNumber: ['x00080050', 'string'],
  StudyInstanceUID: ['x0020000d', 'string'],
  SeriesInstanceUID: ['x0020000e', 'string'],
  SOPInstanceUID: ['x00080018', 'string'],
  StudyDate: ['x00080020', 'string'],
  StudyTime: ['x00080030', 'string'],
};

export interface DicomHeaderOptions {
  /** Also read DICOM_IDENTIFIER_FIELDS (default false). */
  identifiers?: boolean;
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
  const fh = await open(path, 'r').catch((err: Error) => {
    throw new Error(`${path}: cannot read file (${err.message})`);
  });
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
  return sniffDicom(path).catch(() => false);
}

/** The first 132 bytes of a file: enough to see the DICOM part-10 magic. */
export async function sniffDicom(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(132);
    const { bytesRead } = await fh.read(buf, 0, 132, 0);
    return bytesRead === 132 && isDicomBytes(buf);
  } finally {
    await fh.close();
  }
}

function readField(ds: dicomParser.DataSet, [tag, kind]: readonly [string, Kind]): string {
  if (!ds.elements[tag]) return '';
  if (kind === 'us') return String(ds.uint16(tag) ?? '');
  return (ds.string(tag) ?? '').replace(/\0/g, '').trim();
}

/**
 * The curation fields of one DICOM file as text ('' when absent), in DICOM_HEADER_FIELDS order, then (with
 * `identifiers`) DICOM_IDENTIFIER_FIELDS. Multi-valued fields keep DICOM's backslash (PixelSpacing "0.14\0.14").
 */
export function readDicomFields(
  bytes: Uint8Array,
  file: string,
  opts: DicomHeaderOptions = {},
): Record<string, string> {
  const ds = parseDicomBytes(bytes, file, 'x7fe00010');
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(DICOM_HEADER_FIELDS)) out[name] = readField(ds, f);
  if (opts.identifiers) for (const [name, f] of Object.entries(DICOM_IDENTIFIER_FIELDS)) out[name] = readField(ds, f);
  return out;
}
