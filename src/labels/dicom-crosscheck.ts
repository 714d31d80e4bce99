/**
 * Two cross-checks that only DICOM allows, between what the file says and what the detector found:
 * - Burned In Annotation (0028,0301) YES / NO / absent x labels found / not found: a NO with labels found is a
 *   file whose tag cannot be trusted to route it around de-identification;
 * - Image Laterality (0020,0062) against the L/R read from the laterality marker: agreement, and the images that
 *   disagree (a wrong marker or a wrong tag is a patient-safety finding, so they are listed by image id).
 * Identifiers (PatientID, UIDs) are never part of the result.
 */
import type { ImageRecord } from '../data/index.js';
import { isDicomPath, readDicomHeader } from '../data/index.js';
import type { LabelBox } from './types.js';

export type BurnedInValue = 'YES' | 'NO' | 'absent';

export interface DicomTagsOfImage {
  /** The image id (path relative to the dataset root). */
  id: string;
  burnedIn?: 'YES' | 'NO';
  laterality?: 'L' | 'R' | 'B' | 'U';
}

export interface LateralityDisagreement {
  id: string;
  image_laterality: 'L' | 'R';
  marker: 'L' | 'R';
  marker_score?: number;
}

export interface DicomCrossCheck {
  images: number;
  /** Images per Burned In Annotation value, split by whether the detector found any label in them. */
  burned_in: Record<BurnedInValue, { found: number; not_found: number }>;
  laterality: {
    /** Images with Image Laterality L or R and a marker read as L or R. */
    compared: number;
    agree: number;
    /** agree / compared; null when nothing could be compared. */
    agreement: number | null;
    /** Left out: no L/R tag (absent, B or U), or no marker read. */
    no_tag: number;
    no_marker_read: number;
    disagreements: LateralityDisagreement[];
  };
}

/** The marker's side: the best-scoring laterality box read as L or R. */
function markerRead(boxes: readonly LabelBox[]): { side: 'L' | 'R'; score?: number } | undefined {
  let best: LabelBox | undefined;
  for (const b of boxes) {
    if (b.category !== 'laterality' || (b.text !== 'L' && b.text !== 'R')) continue;
    if (!best || (b.score ?? 1) > (best.score ?? 1)) best = b;
  }
  return best ? { side: best.text as 'L' | 'R', score: best.score } : undefined;
}

/** The cross-tables from each image's tags and the boxes found (boxes' file = image id). */
export function crossCheckDicomTags(images: readonly DicomTagsOfImage[], boxes: readonly LabelBox[]): DicomCrossCheck {
  const byFile = new Map<string, LabelBox[]>();
  for (const b of boxes) (byFile.get(b.file) ?? byFile.set(b.file, []).get(b.file)!).push(b);
  const burned: DicomCrossCheck['burned_in'] = {
    YES: { found: 0, not_found: 0 },
    NO: { found: 0, not_found: 0 },
    absent: { found: 0, not_found: 0 },
  };
  const lat: DicomCrossCheck['laterality'] = {
    compared: 0,
    agree: 0,
    agreement: null,
    no_tag: 0,
    no_marker_read: 0,
    disagreements: [],
  };
  for (const im of [...images].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const found = byFile.get(im.id) ?? [];
    burned[im.burnedIn ?? 'absent'][found.length > 0 ? 'found' : 'not_found']++;
    if (im.laterality !== 'L' && im.laterality !== 'R') {
      lat.no_tag++;
      continue;
    }
    const read = markerRead(found);
    if (!read) {
      lat.no_marker_read++;
      continue;
    }
    lat.compared++;
    if (read.side === im.laterality) lat.agree++;
    else {
      const d: LateralityDisagreement = { id: im.id, image_laterality: im.laterality, marker: read.side };
      if (read.score !== undefined) d.marker_score = read.score;
      lat.disagreements.push(d);
    }
  }
  lat.agreement = lat.compared > 0 ? lat.agree / lat.compared : null;
  return { images: images.length, burned_in: burned, laterality: lat };
}

/**
 * The cross-check of a dataset's DICOM images (others are left out) against detected boxes; null when the
 * dataset has no DICOM image. Files whose header cannot be read are left out (the loader has reported them).
 */
export async function dicomCrossCheck(
  records: readonly ImageRecord[],
  boxes: readonly LabelBox[],
): Promise<DicomCrossCheck | null> {
  const tags: DicomTagsOfImage[] = [];
  for (const r of records) {
    if (!(await isDicomPath(r.path))) continue;
    try {
      const h = await readDicomHeader(r.path);
      tags.push({ id: r.id, burnedIn: h.burnedIn, laterality: h.laterality });
    } catch {
      // reported by the loader
    }
  }
  return tags.length === 0 ? null : crossCheckDicomTags(tags, boxes);
}
