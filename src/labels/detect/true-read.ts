/**
 * The reader measured apart from detection: each true laterality marker with a side a person can read is cut
 * from its image by its true box and read as the detector would read a box found there (the same fine copy and
 * crop), so markers the detector misses are read too.
 */
import { readImage, type GrayImage, type ImageRecord } from '../../data/index.js';
import type { LabelBox } from '../types.js';
import { tallySides, type SideReading } from './coverage.js';
import type { DetectorModel } from './detector.js';
import { readBox } from './reader.js';
import { fineCopy } from './working.js';
import { isLrText, trueMarkerSide, type Side } from './side.js';

export interface TrueMarkerRead {
  marker: LabelBox;
  side: Side;
  /** The side read, and the letter read, when the reader is confident enough (and the image could be read). */
  read?: Side;
  glyph?: string;
}

export interface TrueBoxReading {
  /** Every marker with a readable side (D/I/S included), and those whose text starts with L or R. */
  sides: SideReading;
  lr: SideReading;
  markers: TrueMarkerRead[];
}

/** Read the true markers of `truths` (file = the record's id) in the images of `records`, one image at a time. */
export async function readTrueMarkers(
  records: readonly Pick<ImageRecord, 'id' | 'path' | 'frame'>[],
  truths: readonly LabelBox[],
  model: Pick<DetectorModel, 'reader' | 'minReadConfidence' | 'lrReader'>,
): Promise<TrueBoxReading> {
  const byFile = new Map<string, LabelBox[]>();
  for (const t of truths) if (trueMarkerSide(t)) (byFile.get(t.file) ?? byFile.set(t.file, []).get(t.file)!).push(t);
  const reads: TrueMarkerRead[] = [];
  const seen = new Set<string>();
  for (const rec of records) {
    const marks = byFile.get(rec.id);
    if (!marks || seen.has(rec.id)) continue;
    seen.add(rec.id);
    let img: GrayImage;
    try {
      img = await readImage(rec.path, { frame: rec.frame });
    } catch {
      for (const m of marks) reads.push({ marker: m, side: trueMarkerSide(m)! });
      continue;
    }
    const { fine, fineFactor } = fineCopy(img);
    for (const m of marks) {
      const r = readBox(model, fine, m, fineFactor);
      reads.push({ marker: m, side: trueMarkerSide(m)!, read: r.side, glyph: r.letter });
    }
  }
  // markers of images not among the records are not read
  for (const [file, marks] of byFile)
    if (!seen.has(file)) for (const m of marks) reads.push({ marker: m, side: trueMarkerSide(m)! });
  return { sides: tallySides(reads), lr: tallySides(reads.filter((r) => isLrText(r.marker))), markers: reads };
}
