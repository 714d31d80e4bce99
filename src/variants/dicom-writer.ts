/**
 * `mask --format dicom`: a masked DICOM written back as DICOM. Pixels the variant left alone keep their stored
 * values bit for bit; changed pixels get the stored value that displays closest to the variant's. Written
 * uncompressed (explicit VR little endian) with a new SOPInstanceUID and SeriesInstanceUID derived from the
 * old ones and the mask settings (so a resumed run writes the same bytes), Burned In Annotation NO after cover,
 * the de-identification method recorded, and every other tag kept. With deidentify, the attributes of dcmjs's
 * de-identification list (PS3.15 Basic Profile attributes as the CTP tool names them) are emptied, private tags
 * dropped, Study/Series/SOP/Frame-of-Reference UIDs replaced.
 */
import { createRequire } from 'node:module';
import { decodeDicomStored } from '../data/index.js';
import { derivedUid, readNaturalDataset, writeNaturalDataset, type NaturalDataset } from '../data/index.js';
import type { GrayImage } from '../data/index.js';
import type { LabelBox } from '../labels/index.js';
import type { VariantMode } from './apply.js';
import { pixelRect } from './rects.js';

export interface MaskedDicomOptions {
  mode: VariantMode;
  /** The settings that made this variant (mode, margin, fill, seed, boxes): part of the new UIDs. */
  key: string;
  deidentify?: boolean;
  /** The frame (0-based) of a multi-frame source that variant is (a --frames all record); default 0. */
  frame?: number;
}

/** One covered box in Presidio's evaluation format (left/top/width/height, label = the text where known). */
export interface CoveredBox {
  label: string;
  entity_type: string;
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Words for the variant: unchanged pixels keep their word, changed ones the word displayed nearest. */
function wordsFor(
  variant: GrayImage,
  original: GrayImage,
  words: Uint8Array | Uint16Array,
  display: Float32Array,
): Uint8Array | Uint16Array {
  const out = words.slice();
  const nearest = new Map<number, number>();
  for (let i = 0; i < out.length; i++) {
    const v = variant.data[i];
    if (v === original.data[i]) continue;
    let w = nearest.get(v);
    if (w === undefined) {
      let best = Infinity;
      w = 0;
      for (let k = 0; k < display.length; k++) {
        const d = Math.abs(display[k] - v);
        if (d < best) {
          best = d;
          w = k;
        }
      }
      nearest.set(v, w);
    }
    out[i] = w;
  }
  return out;
}

const ENTITY: Record<LabelBox['category'], string> = {
  laterality: 'LATERALITY',
  technologist: 'TECHNOLOGIST',
  other: 'OTHER',
};

/** The boxes as covered: widened by the margin and clipped to the image, as applyVariant draws them. */
export function coveredBoxes(boxes: readonly LabelBox[], margin: number, width: number, height: number): CoveredBox[] {
  return boxes
    .map((b) => {
      const r = pixelRect(b, margin, width, height);
      return {
        label: b.text ?? ENTITY[b.category],
        entity_type: ENTITY[b.category],
        left: r.x0,
        top: r.y0,
        width: r.x1 - r.x0,
        height: r.y1 - r.y0,
      };
    })
    .filter((b) => b.width > 0 && b.height > 0);
}

/** The sidecar of one output file: { "<path relative to the output root>": [boxes] }, Presidio's ground-truth shape. */
export function maskSidecar(rel: string, boxes: CoveredBox[]): Record<string, CoveredBox[]> {
  return { [rel]: boxes };
}

interface DcmjsAnonymizer {
  anonymizer: { cleanTags(dict: object): void };
  data: {
    DicomMetaDictionary: {
      denaturalizeDataset(d: NaturalDataset): object;
      naturalizeDataset(d: object): NaturalDataset;
    };
  };
}
const dcmjs = createRequire(import.meta.url)('dcmjs') as DcmjsAnonymizer;

function deidentify(ds: NaturalDataset, key: string): NaturalDataset {
  const dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds) as Record<string, unknown>;
  dcmjs.anonymizer.cleanTags(dict);
  for (const tag of Object.keys(dict)) if (parseInt(tag.slice(0, 4), 16) % 2 === 1) delete dict[tag];
  const out = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict);
  for (const k of ['StudyInstanceUID', 'FrameOfReferenceUID']) {
    if (typeof out[k] === 'string') out[k] = derivedUid('confound-deidentify', key, String(out[k]));
  }
  out.PatientIdentityRemoved = 'YES';
  return out;
}

/** Re-encode a masked DICOM; bytes is the source file, variant the masked frame opts.frame (or 1) as one frame. */
export async function encodeMaskedDicom(
  bytes: Uint8Array,
  file: string,
  variant: GrayImage,
  boxes: readonly LabelBox[],
  opts: MaskedDicomOptions,
): Promise<Buffer> {
  const stored = await decodeDicomStored(bytes, file, opts.frame ?? 0);
  if (variant.width !== stored.image.width || variant.height !== stored.image.height) {
    throw new Error(
      `${file}: the masked image is ${variant.width}x${variant.height}, the DICOM frame ${stored.image.width}x${stored.image.height}`,
    );
  }
  const words = wordsFor(variant, stored.image, stored.words, stored.display);
  let ds = readNaturalDataset(bytes);
  const oldSop = String(ds.SOPInstanceUID ?? file);
  const oldSeries = String(ds.SeriesInstanceUID ?? file);
  if (opts.deidentify) ds = deidentify(ds, opts.key);
  const methods = [
    `confound mask --mode ${opts.mode}: ${boxes.length} burned-in label box(es) ${
      opts.mode === 'labels-only'
        ? 'kept, the rest blanked'
        : opts.mode === 'random-cover'
          ? 'left, same-size boxes covered elsewhere'
          : 'covered'
    }`,
  ];
  const codes = [];
  if (opts.mode === 'cover')
    codes.push({ CodeValue: '113101', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Clean Pixel Data Option' });
  if (opts.deidentify) {
    methods.push('dcmjs cleanTags (Basic Profile attributes), private tags removed, UIDs replaced');
    codes.push({
      CodeValue: '113100',
      CodingSchemeDesignator: 'DCM',
      CodeMeaning: 'Basic Application Confidentiality Profile',
    });
  }
  const bits8 = stored.bitsAllocated === 8;
  const plane = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  const even = new Uint8Array(plane.length + (plane.length % 2));
  even.set(plane);
  const out: NaturalDataset = {
    ...ds,
    SOPInstanceUID: derivedUid('confound-mask', opts.key, oldSop, ...(opts.frame ? [String(opts.frame)] : [])),
    SeriesInstanceUID: derivedUid('confound-mask-series', opts.mode, oldSeries),
    DerivationDescription: methods[0],
    DeidentificationMethod: methods.join('; '),
    PixelData: [even.buffer],
    _vrMap: { ...(ds._vrMap as object | undefined), PixelData: bits8 ? 'OB' : 'OW' },
  };
  if (codes.length) out.DeidentificationMethodCodeSequence = codes;
  if (opts.mode === 'cover') out.BurnedInAnnotation = 'NO';
  if (stored.frames > 1) out.NumberOfFrames = '1';
  // The stored values written are the source's (or nearest); a lossy source stays marked lossy by its own tags.
  return writeNaturalDataset(out);
}
