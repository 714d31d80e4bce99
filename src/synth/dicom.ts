/**
 * The phantom as DICOM (`synth --format dicom`): the same pixels as the PNGs, in DX files whose tags carry what
 * hospitals' files carry and what confound cross-checks: PatientID and StudyInstanceUID (so loaders group a
 * patient's images), Burned In Annotation (YES on half the images, NO on a quarter although labels are burned in,
 * absent on the rest: the tag is often wrong in practice) and Image Laterality (the marker's side, or for
 * about one image in ten the other side: a wrong marker or a wrong tag).
 */
import { Rng } from '../util/index.js';
import { derivedUid, grayDataset, writeNaturalDataset, type NaturalDataset } from '../data/index.js';
import type { RenderedPixels } from './render-pool.js';
import type { ImageSpec, StudySpec } from './types.js';

export const LATERALITY_MISMATCH_RATE = 0.1;

/** The DICOM tags of one phantom image, chosen from a random stream of its own (the PNG phantom is unchanged). */
export function phantomDicomTags(
  seed: number,
  study: StudySpec,
  image: ImageSpec,
  rendered: RenderedPixels,
): NaturalDataset {
  const rng = new Rng(`confound-synth-dicom:${seed}:${image.path}`);
  const u = rng.next();
  const burnedIn = u < 0.5 ? 'YES' : u < 0.75 ? 'NO' : undefined;
  const marker = rendered.labels.find((l) => l.category === 'laterality')?.text ?? study.laterality;
  const flip = rng.bool(LATERALITY_MISMATCH_RATE);
  const laterality = flip ? (marker === 'L' ? 'R' : 'L') : marker;
  const uid = (what: string) => derivedUid('confound-synth', String(seed), what);
  const tags: NaturalDataset = {
    PatientID: study.patient,
    PatientName: `PHANTOM^${study.patient}`,
    StudyInstanceUID: uid(study.folder),
    SeriesInstanceUID: uid(`${study.folder}series${image.index}`),
    SOPInstanceUID: uid(image.path),
    StudyID: String(study.number),
    SeriesNumber: String(image.index),
    InstanceNumber: '1',
    Modality: 'DX',
    BodyPartExamined: study.part,
    ViewPosition: image.view === 'ap' ? 'AP' : 'LL',
    ImageLaterality: laterality,
    PresentationIntentType: 'FOR PRESENTATION',
  };
  if (burnedIn) tags.BurnedInAnnotation = burnedIn;
  return tags;
}

/** A window that shows stored value v as v / (2^bits - 1), so the DICOM reads back as the PNG does. */
function fullRangeWindow(bits: number): NaturalDataset {
  const max = 2 ** bits - 1;
  return { WindowCenter: String(max / 2), WindowWidth: String(max), VOILUTFunction: 'LINEAR_EXACT' };
}

export function encodePhantomDicom(
  seed: number,
  bits: 8 | 16,
  study: StudySpec,
  image: ImageSpec,
  rendered: RenderedPixels,
): Buffer {
  const tags = { ...phantomDicomTags(seed, study, image, rendered), ...fullRangeWindow(bits) };
  return writeNaturalDataset(grayDataset(rendered.image, bits, tags));
}
