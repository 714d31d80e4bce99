/**
 * Grey overlay text on an even dark ground. Some films carry their acquisition text ("acqT 20:43:47", frame counts)
 * well below the white level, so the overlay stage, which starts from the white level, does not see it; on an even
 * dark ground (the unexposed film outside the collimation) it still stands out plainly. This stage thresholds the
 * overlay stage's block-maximum copy low, keeps lines of three or more glyphs of type (the overlay stage's glyph
 * and line rules), and of those only blocks whose surround is dark and even: almost none of it reaches the
 * threshold. Tissue over that threshold is never an even dark ground.
 */
import type { GrayImage } from '../../data/index.js';
import { labelComponents } from './components.js';
import type { Raster } from './morph.js';
import {
  aligned,
  bandMinMean,
  copyBoxToSource,
  glyphs,
  groupGlyphs,
  overlayCopies,
  p01Of,
  type CopyBox,
  type OverlayBlock,
  type OverlayCopies,
  whiteShare,
} from './overlay.js';

/**
 * The threshold, as a share of the copy's range above its 1st percentile. Real-all: the grey text of COVID-00007
 * peaks near 0.5 of the range; at 0.3 its glyphs stand apart, and on the phantom (seeds 901-903) nothing that the
 * learned stages left uncovered passes the other rules (at 0.4-0.6, specks on tissue in seed 903 did).
 */
export const GROUND_LEVEL = 0.3;
/** Least glyphs of a block: a line of text, not a marker and its initials, which other stages find. */
export const MIN_GROUND_GLYPHS = 3;
/**
 * Most share of the surround (a band as wide as the block is high) at or above the threshold: an even dark ground
 * has none (real-all: the text found has 0-0.9 %; text on tissue, e.g. a black label box over the lung, 7.5 % and
 * more).
 */
export const MAX_GROUND_SHARE = 0.05;
/**
 * Least contrast of the glyphs' median peak over the darkest level around the block (as the overlay stage measures
 * it), as a share of the range.
 */
export const MIN_GROUND_CONTRAST = 0.3;

/**
 * Side of the cells (copy pixels) whose pixels all at or above the threshold are tissue, left out of the mask:
 * labelling the inside of bright tissue was most of this stage's cost, and type on a ground leaves ground in every
 * cell it touches unless its strokes are CELL wide.
 */
export const CELL = 8;

const height = (b: CopyBox) => b.y1 - b.y0 + 1;

/** Set `mask` to the pixels of `r` at or above `t`, but for those in CELL x CELL cells entirely at or above it. */
function brightOffTissue(r: Raster, t: number, mask: Uint8Array): void {
  const { width: W, height: H, data: d } = r;
  const cw = Math.ceil(W / CELL),
    ch = Math.ceil(H / CELL);
  const bright = new Int32Array(cw * ch);
  for (let y = 0; y < H; y++) {
    const row = (y / CELL) | 0;
    for (let x = 0; x < W; x++) if (d[y * W + x] >= t) bright[row * cw + ((x / CELL) | 0)]++;
  }
  for (let cy = 0; cy < ch; cy++)
    for (let cx = 0; cx < cw; cx++) {
      const x0 = cx * CELL,
        y0 = cy * CELL,
        x1 = Math.min(W, x0 + CELL),
        y1 = Math.min(H, y0 + CELL);
      if (bright[cy * cw + cx] === (x1 - x0) * (y1 - y0)) continue;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) mask[y * W + x] = d[y * W + x] >= t ? 1 : 0;
    }
}

/** Blocks of type at GROUND_LEVEL on an even dark ground, in source pixels. */
export function findGroundText(image: GrayImage, copies: OverlayCopies = overlayCopies(image)): OverlayBlock[] {
  const { f, max: mx } = copies;
  const src = { width: image.width, height: image.height, data: image.data };
  const d = mx.data,
    n = d.length;
  let pmax = 0;
  for (let i = 0; i < n; i++) if (d[i] > pmax) pmax = d[i];
  const p01 = p01Of(d);
  const range = pmax - p01;
  if (range <= 0.05) return [];
  const t = p01 + GROUND_LEVEL * range;
  const mask = new Uint8Array(n);
  brightOffTissue(mx, t, mask);
  const gs = glyphs(labelComponents(mask, mx.width, mx.height, d, d).components, Math.max(mx.width, mx.height));
  const out: OverlayBlock[] = [];
  for (const members of groupGlyphs(gs, (line) => aligned(line, mx.height))) {
    if (members.length < MIN_GROUND_GLYPHS) continue;
    let box: CopyBox = members[0];
    for (const c of members)
      box = {
        x0: Math.min(box.x0, c.x0),
        y0: Math.min(box.y0, c.y0),
        x1: Math.max(box.x1, c.x1),
        y1: Math.max(box.y1, c.y1),
      };
    if (whiteShare(mx, box, height(box), t) > MAX_GROUND_SHARE) continue;
    const around = bandMinMean(src, f, mx.width, mx.height, box, 2);
    const peaks = members.map((c) => c.maxVal).sort((a, b) => a - b);
    const contrast = Number.isFinite(around) ? (peaks[peaks.length >> 1] - around) / range : 1;
    if (contrast < MIN_GROUND_CONTRAST) continue;
    const toSource = (b: CopyBox) => copyBoxToSource(b, f, image);
    out.push({ ...toSource(box), glyphs: members.length, contrast, glyphBoxes: members.map(toSource) });
  }
  return out;
}
