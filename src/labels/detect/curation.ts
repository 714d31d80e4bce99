/**
 * The curation table (`confound table`): one row per image of what the data itself says, for `confound screen`:
 * the folder-derived fields (patient, study, part, label, split, folder), image size and bit depth, the DICOM
 * header's acquisition fields, and the detector's findings (the same rows as `detect --table`).
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import {
  DICOM_HEADER_FIELDS,
  DICOM_IDENTIFIER_FIELDS,
  isDicomBytes,
  readDicomFields,
  type ImageRecord,
  type LoadIssue,
} from '../../data/index.js';
import { DETECTION_TABLE_COLUMNS, detectionTable, type DatasetDetection } from './run.js';

export interface CurationOptions {
  /** Also write the DICOM fields that identify a person or an exam (PatientID, StudyInstanceUID, ...). */
  keepIdentifiers?: boolean;
}

export interface CurationTable {
  columns: string[];
  rows: string[][];
  issues: LoadIssue[];
}

const FOLDER_COLUMNS = ['path', 'folder', 'top_folder', 'split', 'patient', 'study', 'part', 'label'] as const;
const IMAGE_COLUMNS = ['width', 'height', 'bits'] as const;

/** Header fields and bit depth of one file: DICOM by its magic bytes, anything else by sharp's metadata. */
async function describeFile(
  path: string,
  opts: CurationOptions,
): Promise<{ bits: string; header: Record<string, string> | null }> {
  const bytes = await readFile(path);
  if (isDicomBytes(bytes)) {
    const header = readDicomFields(bytes, path, { identifiers: opts.keepIdentifiers });
    return { bits: header.BitsStored, header };
  }
  const meta = await sharp(bytes).metadata();
  return { bits: meta.depth === 'ushort' ? '16' : meta.depth === 'uchar' ? '8' : '', header: null };
}

/**
 * Build the table from the records a detection run processed. Files whose header cannot be read are reported in
 * `issues` and left out; the rest go on.
 */
export async function curationTable(
  records: readonly ImageRecord[],
  det: DatasetDetection,
  opts: CurationOptions = {},
): Promise<CurationTable> {
  const sizes = new Map(det.sizes.map((s) => [s.id, s]));
  const done = records.filter((r) => sizes.has(r.id));
  const found = new Map(detectionTable(done, det.boxes).map((row) => [row.path, row]));
  const issues: LoadIssue[] = [];
  const described: { rec: ImageRecord; bits: string; header: Record<string, string> | null }[] = [];
  for (const rec of done) {
    // PNG/JPEG: the bit depth the loader read from the header; only DICOMs are opened again, for their fields.
    const known = /\.(png|jpe?g)$/i.test(rec.path) && rec.bits ? { bits: String(rec.bits), header: null } : undefined;
    try {
      described.push({ rec, ...(known ?? (await describeFile(rec.path, opts))) });
    } catch (err) {
      issues.push({ file: rec.path, message: (err as Error).message });
    }
  }
  const anyDicom = described.some((d) => d.header);
  const dicomColumns = anyDicom
    ? [...Object.keys(DICOM_HEADER_FIELDS), ...(opts.keepIdentifiers ? Object.keys(DICOM_IDENTIFIER_FIELDS) : [])]
    : [];
  const detected = DETECTION_TABLE_COLUMNS.filter((c) => !(FOLDER_COLUMNS as readonly string[]).includes(c));
  const columns = [...FOLDER_COLUMNS, ...IMAGE_COLUMNS, ...dicomColumns, ...detected];
  const rows = described.map(({ rec, bits, header }) => {
    const size = sizes.get(rec.id)!;
    const d = found.get(rec.id)!;
    const folder = dirname(rec.id);
    const cells: Record<string, string> = {
      path: rec.id,
      folder: folder === '.' ? '' : folder,
      top_folder: rec.id.includes('/') ? rec.id.split('/')[0] : '',
      split: rec.split ?? '',
      patient: rec.patient,
      study: rec.study,
      part: rec.part ?? '',
      label: rec.label === undefined ? '' : String(rec.label),
      width: String(size.width),
      height: String(size.height),
      bits,
      ...(header ?? {}),
    };
    for (const c of detected) cells[c] = String(d[c]);
    return columns.map((c) => cells[c] ?? '');
  });
  return { columns, rows, issues };
}
