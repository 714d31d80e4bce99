/**
 * DICOM header fields, read with dicom-parser up to the pixel data (never decoding it). What a curator screens for
 * confounders (scanner, site, view, acquisition) is kept apart from what identifies a person or an exam, which is
 * returned only on request.
 */
import dicomParser from 'dicom-parser';

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

/** Parse a DICOM part-10 byte stream up to its pixel data; errors name the file. */
export function parseDicomHeader(bytes: Uint8Array, file: string): dicomParser.DataSet {
  try {
    return dicomParser.parseDicom(bytes, { untilTag: 'x7fe00010' });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String((err as { exception?: string }).exception ?? err);
    throw new Error(`${file}: cannot parse DICOM (${msg})`);
  }
}

function readField(ds: dicomParser.DataSet, [tag, kind]: readonly [string, Kind]): string {
  if (!ds.elements[tag]) return '';
  if (kind === 'us') return String(ds.uint16(tag) ?? '');
  return (ds.string(tag) ?? '').replace(/\0/g, '').trim();
}

/**
 * The header fields of one DICOM file as text ('' when absent), in DICOM_HEADER_FIELDS order, then (with
 * `identifiers`) DICOM_IDENTIFIER_FIELDS. Multi-valued fields keep DICOM's backslash (PixelSpacing "0.14\0.14").
 */
export function readDicomHeader(bytes: Uint8Array, file: string, opts: DicomHeaderOptions = {}): Record<string, string> {
  const ds = parseDicomHeader(bytes, file);
  const out: Record<string, string> = {};
  for (const [name, f] of Object.entries(DICOM_HEADER_FIELDS)) out[name] = readField(ds, f);
  if (opts.identifiers) for (const [name, f] of Object.entries(DICOM_IDENTIFIER_FIELDS)) out[name] = readField(ds, f);
  return out;
}
