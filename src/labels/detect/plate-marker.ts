/**
 * Markers on a plate with text. The learned stages box a marker letter and the plate's initials or words ("R" over
 * "A LETTO", "L" beside "Port", a ringed "L" beside "UPRIGHT") as one technologist or text box, and then read no
 * side. Inside such a box, a letter in a ring, or a letter clearly taller than the type beside it, is the marker:
 * it is read, and boxed as a laterality marker of its own.
 */
import type { GrayImage } from '../../data/index.js';
import type { DetectedBox } from './detector.js';
import { brightParts, cropImage } from './glyph.js';
import { readMarkerStyle } from './marker-style.js';
import type { Raster } from './morph.js';
import { readBox, type ReaderWeights } from './reader.js';

type Rect = { x: number; y: number; w: number; h: number };
type Part = { x0: number; y0: number; x1: number; y1: number; area: number; border: boolean };

/**
 * Longest side of the crop a box's parts are found in: at the reader's 48 px a plate's letters are 8-12 px and
 * touch (real-all: "Left" over "TH" was one part); at 160 they stand apart.
 */
export const PARTS_SIDE = 160;
/** Least share of the crop a bright part takes to count (below it are specks and JPEG ringing). */
export const MIN_PART_SHARE = 0.005;
/**
 * What another part must have to count as a glyph beside the tallest: a share of the largest part's area and of the
 * tallest's height. Real-all: the type under an "R" has 13-16 % of its area and 37 % of its height; the specks of
 * JPEG ringing beside a word cut at the edge ("PORT..") have 8-10 % of its area but at most 21 % of its height, and
 * must not make that word a marker over type.
 */
export const MIN_GLYPH_SHARE = 0.1;
export const MIN_GLYPH_HEIGHT = 0.3;
/**
 * How much larger, in both height and width, than every other glyph in the box the marker letter stands: a marker is
 * of a larger type than the initials or words on its plate. Real-all: "Left" over "TH" is 1.46x as tall and 1.5x as
 * wide, "R" over "A LETTO" 2.7x and 1.7x. In overlay words the tallest glyph is at most 1.09x the next (merged
 * letters are wider, not taller); the phantom's initials ("AS", and "TH" stacked) differ in height by up to 1.38x
 * but in width by at most 1.11x.
 */
export const MIN_LARGER = 1.3;
/** Share of the text box the marker fills above which the box itself is the marker (a ringed letter boxed alone). */
export const FILLS_BOX = 0.6;

export interface PlateMarker {
  /** Source pixels. */
  box: Rect;
  side: 'L' | 'R';
  letter?: string;
  ringed: boolean;
}

/** The marker inside a technologist or text box, if a ringed or towering letter there reads a side. */
export function findPlateMarker(
  model: ReaderWeights,
  fine: Raster,
  fineFactor: number,
  box: Rect,
): PlateMarker | undefined {
  const crop = cropImage(fine, box, fineFactor, PARTS_SIDE);
  const parts = brightParts(crop, MIN_PART_SHARE).filter((p) => !p.border);
  const pick = ringPart(parts) ?? toweringPart(parts);
  if (!pick) return undefined;
  const sx = box.w / crop.width,
    sy = box.h / crop.height;
  const at = {
    x: box.x + pick.part.x0 * sx,
    y: box.y + pick.part.y0 * sy,
    w: (pick.part.x1 - pick.part.x0 + 1) * sx,
    h: (pick.part.y1 - pick.part.y0 + 1) * sy,
  };
  const reading = readBox(model, fine, at, fineFactor);
  if (!reading.side) return undefined;
  return { box: at, side: reading.side, letter: reading.letter, ringed: pick.ringed };
}

/** The largest part that encloses another: a ring around a letter (type beside it encloses nothing). */
function ringPart(parts: readonly Part[]): { part: Part; ringed: boolean } | undefined {
  let best: Part | undefined;
  for (const q of parts)
    if (parts.some((o) => o !== q && o.x0 > q.x0 && o.y0 > q.y0 && o.x1 < q.x1 && o.y1 < q.y1))
      if (!best || q.area > best.area) best = q;
  return best && { part: best, ringed: true };
}

/** The tallest glyph, when it is MIN_LARGER as tall and as wide as every other glyph beside it. */
function toweringPart(parts: readonly Part[]): { part: Part; ringed: boolean } | undefined {
  if (parts.length < 2) return undefined;
  const height = (p: Part) => p.y1 - p.y0 + 1;
  const largest = parts.reduce((a, b) => (b.area > a.area ? b : a));
  const tallest = parts.reduce((a, b) => (height(b) > height(a) ? b : a));
  const glyphs = parts.filter(
    (p) => p.area >= MIN_GLYPH_SHARE * largest.area && height(p) >= MIN_GLYPH_HEIGHT * height(tallest),
  );
  if (glyphs.length < 2 || !glyphs.includes(tallest)) return undefined;
  const width = (p: Part) => p.x1 - p.x0 + 1;
  const larger = glyphs.every(
    (p) => p === tallest || (height(tallest) >= MIN_LARGER * height(p) && width(tallest) >= MIN_LARGER * width(p)),
  );
  return larger ? { part: tallest, ringed: false } : undefined;
}

/**
 * Give each technologist or text box that holds a plate marker its marker: the box itself becomes the marker when
 * the marker fills it, else a laterality box is added around the letter (the text box stays, for the masking).
 */
export function addPlateMarkers(
  boxes: DetectedBox[],
  model: ReaderWeights,
  fine: Raster,
  fineFactor: number,
  image: GrayImage,
): DetectedBox[] {
  const out: DetectedBox[] = [];
  for (const b of boxes) {
    out.push(b);
    if (b.category === 'laterality') continue;
    const m = findPlateMarker(model, fine, fineFactor, b);
    if (!m) continue;
    const fills = m.box.w * m.box.h >= FILLS_BOX * b.w * b.h;
    const marker: DetectedBox = fills
      ? { ...b, category: 'laterality' }
      : { ...b, ...roundRect(m.box), category: 'laterality', categoryScore: 1 };
    marker.text = m.side;
    if (m.letter) marker.glyph = m.letter;
    marker.style = readMarkerStyle(image, marker, {});
    if (fills) out[out.length - 1] = marker;
    else out.push(marker);
  }
  return out;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const roundRect = (r: Rect): Rect => ({ x: round2(r.x), y: round2(r.y), w: round2(r.w), h: round2(r.h) });
