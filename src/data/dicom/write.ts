import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * Writing DICOM part-10 files, explicit VR little endian, uncompressed, through dcmjs (the OHIF project's DICOM
 * library): it knows every tag's VR, so a dataset read from any syntax is written back with its tags intact.
 * Datasets are dcmjs "naturalized" objects: { PatientID: 'x', Rows: 2, PixelData: [ArrayBuffer], ... }.
 */

export type NaturalDataset = Record<string, unknown>;

interface Dcmjs {
  data: {
    DicomMessage: { readFile(b: ArrayBuffer, o?: object): { meta: object; dict: object } };
    DicomMetaDictionary: {
      naturalizeDataset(d: object): NaturalDataset;
      denaturalizeDataset(d: NaturalDataset): object;
    };
    DicomDict: new (meta: object) => { dict: object; write(o?: object): ArrayBuffer };
  };
}
const require = createRequire(import.meta.url);
const dcmjs = require('dcmjs') as Dcmjs;

export const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const IMPLEMENTATION_UID = '2.25.217094512187231463508117815405364311551';

/** A UID under the 2.25 root (PS3.5 B.2) derived from the given parts: the same parts give the same UID. */
export function derivedUid(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 30);
  return `2.25.${BigInt(`0x${hex}`).toString()}`;
}

/** Read a part-10 file into a naturalized dataset (meta group left out; _vrMap keeps PixelData's VR). */
export function readNaturalDataset(bytes: Uint8Array): NaturalDataset {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const msg = dcmjs.data.DicomMessage.readFile(ab, { ignoreErrors: false, untilTag: undefined });
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(msg.dict);
}

/** Encode a naturalized dataset (which holds SOPClassUID, SOPInstanceUID and native PixelData) as a file. */
export function writeNaturalDataset(ds: NaturalDataset): Buffer {
  for (const k of ['SOPClassUID', 'SOPInstanceUID']) {
    if (typeof ds[k] !== 'string') throw new Error(`writeNaturalDataset: ${k} is missing`);
  }
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: ds.SOPClassUID,
    MediaStorageSOPInstanceUID: ds.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_LE,
    ImplementationClassUID: IMPLEMENTATION_UID,
    ImplementationVersionName: 'CONFOUND',
  });
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds);
  return Buffer.from(dict.write({ fragmentMultiframe: false }));
}

/** Stored words as the PixelData value dcmjs writes (native, little endian). */
export function pixelDataValue(words: Uint8Array | Uint16Array): ArrayBuffer[] {
  const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  const copy = new Uint8Array(bytes.length + (bytes.length % 2));
  copy.set(bytes);
  return [copy.buffer];
}

/** DX Image Storage - For Presentation: what a radiograph is stored as. */
export const DX_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.1';

/** Stored words of a [0, 1] image at the given bit depth (round to nearest). */
export function grayToWords(data: Float32Array, bitsStored: number): Uint8Array | Uint16Array {
  const max = 2 ** bitsStored - 1;
  const out = bitsStored <= 8 ? new Uint8Array(data.length) : new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, data[i])) * max);
  return out;
}

/** The image pixel module (PS3.3 C.7.6.3) of a MONOCHROME2 frame, merged over the given tags. */
export function grayDataset(
  img: { width: number; height: number; data: Float32Array },
  bitsStored: number,
  tags: NaturalDataset,
): NaturalDataset {
  if (!Number.isInteger(bitsStored) || bitsStored < 1 || bitsStored > 16) {
    throw new Error(`grayDataset: bitsStored must be 1-16, got ${bitsStored}`);
  }
  const bitsAllocated = bitsStored <= 8 ? 8 : 16;
  return {
    SOPClassUID: DX_FOR_PRESENTATION,
    ...tags,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: img.height,
    Columns: img.width,
    BitsAllocated: bitsAllocated,
    BitsStored: bitsStored,
    HighBit: bitsStored - 1,
    PixelRepresentation: 0,
    PixelData: pixelDataValue(grayToWords(img.data, bitsStored)),
    _vrMap: { PixelData: bitsAllocated === 8 ? 'OB' : 'OW' },
  };
}
