/**
 * The edged-type stage: digital overlay text and graphics drawn as full-white strokes edged by full black (a drop
 * shadow, an outline, a black disc or plate behind them). A film's tissue seldom puts its darkest and its brightest
 * level side by side, but a digital overlay does so by construction, whatever the ground beneath it: the overlay
 * stage (overlay.ts) needs a ground well below white and misses shadowed white words laid on bright tissue
 * (real-extra, actualmed: "SEMI-SENTADO", "AP", "U-02") and the black "D" discs with a white ring.
 * It keeps white glyph components most of whose pixels (in a block-maximum copy) touch a black pixel (in a
 * block-minimum copy), groups them into lines and blocks as the overlay stage does, and marks a block whose one
 * glyph encloses the others (a ring around a letter) as a marker.
 */
import type { GrayImage } from '../../data/index.js';
import { labelComponents, type Component } from './components.js';
import type { Raster } from './morph.js';
import { isRingMarker } from './ring.js';
import {
  aligned,
  copyBoxToSource,
  glyphs,
  groupGlyphs,
  overlayCopies,
  type CopyBox,
  type OverlayBlock,
  type OverlayCopies,
} from './overlay.js';

/**
 * Share of the image's full range (minimum to maximum of the copies) at each end that counts as full white or full
 * black: a stroke's pixels lie within CORE_BAND of its end, the pixels that edge it within EDGE_BAND of the other.
 * Digital overlays sit at the very ends (8-bit: 255 on 0). On a bright ground (actualmed) the block-maximum copy
 * lifts the tissue's noise to within 0.12 of white and fuses the letters with it; within 0.04 it does not.
 */
export const CORE_BAND = 0.04;
export const EDGE_BAND = 0.12;
/** Least share of a glyph's pixels that touch full black. */
export const MIN_EDGED_SHARE = 0.35;
/** Least full range (maximum less minimum) of an image for the cue to mean anything. */
export const MIN_RANGE = 0.6;

export interface EdgedBlock extends OverlayBlock {
  /** One glyph encloses all the others (at most two): a letter in a ring, a laterality marker. */
  ring: boolean;
}

type Box = CopyBox;

function extremes(r: Raster): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < r.data.length; i++) {
    const v = r.data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** A mask's 3 x 3 dilation (rows, then columns). */
function dilate3(mask: Uint8Array, W: number, H: number): Uint8Array {
  const rows = new Uint8Array(W * H),
    out = new Uint8Array(W * H);
  for (let o = 0; o < W * H; o += W) {
    rows[o] = mask[o] | mask[o + 1];
    for (let i = o + 1, end = o + W - 1; i < end; i++) rows[i] = mask[i - 1] | mask[i] | mask[i + 1];
    rows[o + W - 1] = mask[o + W - 2] | mask[o + W - 1];
  }
  for (let i = 0; i < W; i++) out[i] = rows[i] | rows[i + W];
  for (let i = W, end = W * (H - 1); i < end; i++) out[i] = rows[i - W] | rows[i] | rows[i + W];
  for (let i = W * (H - 1); i < W * H; i++) out[i] = rows[i - W] | rows[i];
  return out;
}

/** Pixels of component `c` (in `labels`) with a pixel of the other extreme (`other`) in their 3 x 3 neighbourhood. */
function touching(c: Component, labels: Int32Array, W: number, H: number, other: Uint8Array): number {
  let n = 0;
  for (let y = c.y0; y <= c.y1; y++)
    for (let x = c.x0; x <= c.x1; x++) {
      if (labels[y * W + x] !== c.id) continue;
      search: for (let yy = Math.max(0, y - 1); yy <= Math.min(H - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(W - 1, x + 1); xx++)
          if (other[yy * W + xx]) {
            n++;
            break search;
          }
    }
  return n;
}

/** Side of the tiles in which meet looks for the two extremes. */
const TILE = 4;

/**
 * Whether a pixel of `mask` lies within two pixels of one that `other` holds, or could (tiles of TILE pixels that
 * hold one and the other, side by side): a dilated stroke of `mask` touches `other` only then, and labelling all
 * of a film's black air, far from anything white, is most of this stage's time.
 */
function meet(mask: Uint8Array, other: Uint8Array, W: number, H: number): boolean {
  const tw = Math.ceil(W / TILE),
    th = Math.ceil(H / TILE);
  const inMask = new Uint8Array(tw * th),
    inOther = new Uint8Array(tw * th);
  for (let y = 0; y < H; y++)
    for (let x = 0, i = y * W, t = Math.floor(y / TILE) * tw; x < W; x++, i++) {
      if (mask[i]) inMask[t + Math.floor(x / TILE)] = 1;
      if (other[i]) inOther[t + Math.floor(x / TILE)] = 1;
    }
  for (let ty = 0; ty < th; ty++)
    for (let tx = 0; tx < tw; tx++) {
      if (!inMask[ty * tw + tx]) continue;
      for (let v = Math.max(0, ty - 1); v <= Math.min(th - 1, ty + 1); v++)
        for (let u = Math.max(0, tx - 1); u <= Math.min(tw - 1, tx + 1); u++) if (inOther[v * tw + u]) return true;
    }
  return false;
}

/** Pixels of `r` at or above `t` (or, with `below`, at or under it). */
function threshold(r: Raster, t: number, below: boolean): Uint8Array {
  const d = r.data,
    out = new Uint8Array(d.length);
  if (below) for (let i = 0; i < d.length; i++) out[i] = d[i] <= t ? 1 : 0;
  else for (let i = 0; i < d.length; i++) out[i] = d[i] >= t ? 1 : 0;
  return out;
}

/**
 * Glyph-like components of `mask`, kept where MIN_EDGED_SHARE of their pixels touch `other` (the other extreme);
 * `seen` is shown each glyph-like component.
 */
function strokes(
  W: number,
  H: number,
  mask: Uint8Array,
  values: Float32Array,
  other: Uint8Array,
  side: number,
  seen: (c: Component, labels: Int32Array) => void,
): Component[] {
  const { labels, components } = labelComponents(mask, W, H, values, values);
  return glyphs(components, side).filter((c) => {
    seen(c, labels);
    return touching(c, labels, W, H, other) >= MIN_EDGED_SHARE * c.area;
  });
}

/** Find full-white type edged by full black. */
export function findEdgedText(image: GrayImage, copies: OverlayCopies = overlayCopies(image)): EdgedBlock[] {
  const { f, max: mx, min: mn } = copies;
  const W = mx.width,
    H = mx.height;
  const [lo] = extremes(mn),
    [, hi] = extremes(mx);
  const range = hi - lo;
  if (range < MIN_RANGE) return [];
  const whiteCore = threshold(mx, hi - CORE_BAND * range, false),
    blackCore = threshold(mn, lo + CORE_BAND * range, true);
  const whiteEdge = hi - EDGE_BAND * range,
    blackEdge = lo + EDGE_BAND * range;
  // masks, not predicates: a closure made per image loses its optimised code at each major GC
  const white = threshold(mx, whiteEdge, false),
    black = threshold(mn, blackEdge, true);
  const copySide = Math.max(W, H);
  const rings = new Set<Component>();
  // full-white strokes edged by full black (a shadow, an outline, a disc), and white rings around a letter
  const light = strokes(W, H, whiteCore, mx.data, black, copySide, (c, labels) => {
    if (isRingMarker(c, labels, W, (i) => whiteCore[i] === 1)) rings.add(c);
  });
  // full-black strokes edged by full white: a shadow on a white ground, dark type; a shadow is a stroke or two wide
  // and breaks up on the copy: its pieces are joined (a 3 x 3 dilation)
  const dark = meet(blackCore, white, W, H)
    ? strokes(W, H, dilate3(blackCore, W, H), mn.data, white, copySide, () => {})
    : [];
  const kept = [...light, ...rings, ...dark].filter((c, i, a) => a.indexOf(c) === i);
  const out: EdgedBlock[] = [];
  const toSource = (b: Box) => copyBoxToSource(b, f, image);
  for (const members of groupGlyphs(kept, (line) => aligned(line, H))) {
    const box = members.reduce<Box>(
      (u, c) => ({
        x0: Math.min(u.x0, c.x0),
        y0: Math.min(u.y0, c.y0),
        x1: Math.max(u.x1, c.x1),
        y1: Math.max(u.y1, c.y1),
      }),
      members[0],
    );
    // a ring holds the block's other members (its letter, the black disc behind it) or they hug it (an outline)
    const ring =
      members.length <= 4 &&
      members.some((r) => {
        if (!rings.has(r)) return false;
        const m = Math.max(2, Math.round(0.1 * (r.x1 - r.x0 + 1)));
        return box.x0 >= r.x0 - m && box.y0 >= r.y0 - m && box.x1 <= r.x1 + m && box.y1 <= r.y1 + m;
      });
    out.push({ ...toSource(box), glyphs: members.length, contrast: 1, glyphBoxes: members.map(toSource), ring });
  }
  return dropColumns(out);
}

/** Least count of marks (blocks of one or two glyphs: a white stroke and its black edge) stacked in one column that make a ruler's scale, not markers. */
export const MIN_COLUMN = 3;

/**
 * Drop lone glyphs stacked in a column of MIN_COLUMN or more: the segments and ticks of a drawn ruler (real-dev and
 * real-extra, figure1: a white scale with a black edge beside the film). Markers do not come in stacks.
 */
function dropColumns(blocks: EdgedBlock[]): EdgedBlock[] {
  const lone = blocks.filter((b) => b.glyphs <= 2 && !b.ring);
  const stacked = (a: EdgedBlock, b: EdgedBlock) => {
    const cols = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
    const gap = Math.max(a.y - (b.y + b.h), b.y - (a.y + a.h));
    return cols >= 0.5 * Math.min(a.w, b.w) && gap <= 3 * Math.max(a.h, b.h);
  };
  // columns grow one stacked neighbour at a time
  const column = lone.map((_, i) => i);
  const find = (i: number): number => (column[i] === i ? i : (column[i] = find(column[i])));
  for (let i = 0; i < lone.length; i++)
    for (let j = i + 1; j < lone.length; j++) if (stacked(lone[i], lone[j])) column[find(i)] = find(j);
  const size = new Map<number, number>();
  lone.forEach((_, i) => size.set(find(i), (size.get(find(i)) ?? 0) + 1));
  const drop = new Set(lone.filter((_, i) => size.get(find(i))! >= MIN_COLUMN));
  return blocks.filter((b) => !drop.has(b));
}
