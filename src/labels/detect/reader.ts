/**
 * Reading a laterality marker's side from the reader network over glyph features. The reader's classes are
 * letters (L, R, and in newer weights D, I); each gives a side (side.ts), and a side's probability is the sum
 * of its letters', so a D (derecha/destra) and an R both read "R". A side below the weights' minReadConfidence is
 * unread. Weights with an L/R reader too (the first reader, phantom L/R markers only) let it read what the letter
 * reader takes for an L or an R: it reads the phantom's markers better than one network that learns five letters.
 */
import {
  cropImage,
  glyphFeatures,
  GLYPH_FEATURE_NAMES,
  readerFeatures,
  READER_FEATURE_NAMES,
  type Crop,
} from './glyph.js';
import { predict, type MlpWeights } from './mlp.js';
import type { Raster } from './morph.js';
import { SIDE_OF_LETTER, type Side } from './side.js';

export interface GlyphReading {
  side?: Side;
  /** The most probable letter (of the side read), when a side is read. */
  letter?: string;
}

/** The reader's verdict on glyph features. */
export function readFeatures(reader: MlpWeights, minConfidence: number, features: readonly number[]): GlyphReading {
  return readProbabilities(reader.classes, minConfidence, predict(reader, features));
}

/** The same, of the reader's class probabilities `p`. */
function readProbabilities(classes: readonly string[], minConfidence: number, p: readonly number[]): GlyphReading {
  const bySide: Record<Side, number> = { L: 0, R: 0 };
  for (let k = 0; k < p.length; k++) {
    const side = SIDE_OF_LETTER[classes[k]];
    if (side) bySide[side] += p[k];
  }
  const side: Side = bySide.R > bySide.L ? 'R' : 'L';
  if (bySide[side] < minConfidence) return {};
  let letter = '',
    best = -1;
  for (let k = 0; k < p.length; k++)
    if (SIDE_OF_LETTER[classes[k]] === side && p[k] > best) {
      best = p[k];
      letter = classes[k];
    }
  return { side, letter };
}

/** Whether a reader takes READER_FEATURE_NAMES (else GLYPH_FEATURE_NAMES, as the first weights did). */
export function takesReaderFeatures(reader: MlpWeights): boolean {
  return reader.features.join() === READER_FEATURE_NAMES.join();
}

/** The features `reader` takes, of a crop. */
export function featuresFor(reader: MlpWeights, crop: Crop): number[] {
  return takesReaderFeatures(reader) ? readerFeatures(crop) : glyphFeatures(crop);
}

export interface ReaderWeights {
  reader: MlpWeights;
  minReadConfidence: number;
  /** L/R reader over GLYPH_FEATURE_NAMES, for what `reader` takes for an L or an R. */
  lrReader?: MlpWeights;
}

/** Read the marker in a crop. */
export function readCrop(model: ReaderWeights, crop: Crop): GlyphReading {
  const f = featuresFor(model.reader, crop);
  const p = predict(model.reader, f);
  const read = readProbabilities(model.reader.classes, model.minReadConfidence, p);
  if (!model.lrReader) return read;
  const top = model.reader.classes[p.indexOf(Math.max(...p))];
  if (top !== 'L' && top !== 'R') return read;
  // reader features start with the glyph features the L/R reader takes
  return readFeatures(model.lrReader, model.minReadConfidence, f.slice(0, GLYPH_FEATURE_NAMES.length));
}

/** Read the marker inside `box` (source pixels) of `fine`, the source downsampled by `fineFactor`. */
export function readBox(
  model: ReaderWeights,
  fine: Raster,
  box: { x: number; y: number; w: number; h: number },
  fineFactor: number,
): GlyphReading {
  return readCrop(model, cropImage(fine, box, fineFactor));
}
