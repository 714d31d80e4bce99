/**
 * Reading a laterality marker's side from the reader network over glyph features. The reader's classes are
 * letters (L, R, and in newer weights D, I); each gives a side (side.ts), and a side's probability is the sum
 * of its letters', so a D (derecha/destra) and an R both read "R". A side below the weights' minReadConfidence is
 * unread. Weights with an L/R reader too (the first reader, phantom L/R markers only) let it read what the letter
 * reader takes for an L or an R: it reads the phantom's markers better than one network that learns five letters.
 */
import {
  brightParts,
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
import { clearRing } from './unring.js';

export interface GlyphReading {
  side?: Side;
  /** The most probable letter (of the side read), when a side is read. */
  letter?: string;
}

/** The reader's verdict on glyph features. */
export function readFeatures(reader: MlpWeights, minConfidence: number, features: readonly number[]): GlyphReading {
  return readProbabilities(reader.classes, minConfidence, predict(reader, features)).reading;
}

/** The same, of the reader's class probabilities `p`, with the probability of the side read. */
function readProbabilities(
  classes: readonly string[],
  minConfidence: number,
  p: readonly number[],
): { reading: GlyphReading; confidence: number } {
  const bySide: Record<Side, number> = { L: 0, R: 0 };
  for (let k = 0; k < p.length; k++) {
    const side = SIDE_OF_LETTER[classes[k]];
    if (side) bySide[side] += p[k];
  }
  const side: Side = bySide.R > bySide.L ? 'R' : 'L';
  const confidence = bySide[side];
  if (confidence < minConfidence) return { reading: {}, confidence };
  let letter = '',
    best = -1;
  for (let k = 0; k < p.length; k++)
    if (SIDE_OF_LETTER[classes[k]] === side && p[k] > best) {
      best = p[k];
      letter = classes[k];
    }
  return { reading: { side, letter }, confidence };
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
  return scoredRead(model, crop).reading;
}

function scoredRead(model: ReaderWeights, crop: Crop): { reading: GlyphReading; confidence: number } {
  const f = featuresFor(model.reader, crop);
  const p = predict(model.reader, f);
  const read = readProbabilities(model.reader.classes, model.minReadConfidence, p);
  if (!model.lrReader) return read;
  const top = model.reader.classes[p.indexOf(Math.max(...p))];
  if (top !== 'L' && top !== 'R') return read;
  // reader features start with the glyph features the L/R reader takes; when it is unsure (it learned the
  // phantom's markers only), the letter reader's own reading stands
  const g = f.slice(0, GLYPH_FEATURE_NAMES.length);
  const lr = readProbabilities(model.lrReader.classes, model.minReadConfidence, predict(model.lrReader, g));
  return lr.reading.side ? lr : read;
}

type Box = { x: number; y: number; w: number; h: number };

/** Smallest share of the box's crop the inner part must take to be read on its own. */
const MIN_PART_SHARE = 0.03;
/** Margin around the inner part when it is cut out, as a share of its longer side. */
const PART_MARGIN = 0.15;

/**
 * Read the marker inside `box` (source pixels) of `fine`, the source downsampled by `fineFactor`: the whole box
 * (with a ring that surrounds the letter taken off when the whole box reads nothing), and its inner part on its own (the largest bright part that does not reach the crop's edge, cut out with a
 * margin); the more confident reading wins. In a box that takes in bright surroundings (the film outside a black
 * disc, a broken ring's arcs) the whole crop's letter is one of those; the letter inside them is the inner part.
 */
export function readBox(model: ReaderWeights, fine: Raster, box: Box, fineFactor: number): GlyphReading {
  const crop = cropImage(fine, box, fineFactor);
  let whole = scoredRead(model, crop);
  // a letter that touches its ring leaves the reader unsure: read it with the ring taken off
  const unringed = whole.reading.side ? undefined : clearRing(crop);
  if (unringed) {
    const u = scoredRead(model, unringed);
    if (u.reading.side) whole = u;
  }
  const inner = innerPart(crop);
  if (!inner) return whole.reading;
  const sx = box.w / crop.width,
    sy = box.h / crop.height;
  const pw = inner.x1 - inner.x0 + 1,
    ph = inner.y1 - inner.y0 + 1;
  const m = PART_MARGIN * Math.max(pw * sx, ph * sy);
  const at = { x: box.x + inner.x0 * sx - m, y: box.y + inner.y0 * sy - m, w: pw * sx + 2 * m, h: ph * sy + 2 * m };
  const part = scoredRead(model, cropImage(fine, at, fineFactor));
  return part.reading.side && part.confidence > whole.confidence ? part.reading : whole.reading;
}

/** The largest bright part of a crop clear of its edge, unless it fills the crop (then it is what the crop shows). */
export function innerPart(crop: Crop): { x0: number; y0: number; x1: number; y1: number } | undefined {
  const clear = brightParts(crop, MIN_PART_SHARE).filter((q) => !q.border);
  if (!clear.length) return undefined;
  const p = clear.reduce((a, b) => (b.area > a.area ? b : a));
  const fills = p.x1 - p.x0 + 1 >= 0.9 * crop.width && p.y1 - p.y0 + 1 >= 0.9 * crop.height;
  return fills ? undefined : p;
}
