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
import { isRingMarker } from './ring.js';
import { downsampleMax, downsampleMin, type Raster } from './morph.js';
import { aligned, glyphs, groupGlyphs, OVERLAY_SIDE, type OverlayBlock } from './overlay.js';

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

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

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

/** Pixels with a pixel that `at` holds in their 3 x 3 neighbourhood. */
function near(W: number, H: number, at: (i: number) => boolean): Uint8Array {
  const out = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      if (!at(y * W + x)) continue;
      for (let yy = Math.max(0, y - 1); yy <= Math.min(H - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(W - 1, x + 1); xx++) out[yy * W + xx] = 1;
    }
  return out;
}

/**
 * Glyph-like components of the pixels `at` holds, kept where MIN_EDGED_SHARE of their pixels lie in `edge` (near the
 * other extreme); `seen` is shown each glyph-like component.
 */
function strokes(
  W: number,
  H: number,
  at: (i: number) => boolean,
  values: Float32Array,
  edge: Uint8Array,
  side: number,
  seen: (c: Component, labels: Int32Array) => void,
  dilate = false,
): Component[] {
  const n = W * H;
  let mask: Uint8Array = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (at(i)) mask[i] = 1;
  if (dilate) mask = near(W, H, (i) => mask[i] === 1);
  const { labels, components } = labelComponents(mask, W, H, values, values);
  const edged = new Uint32Array(components.length + 1);
  for (let i = 0; i < n; i++) if (labels[i] && edge[i]) edged[labels[i]]++;
  return glyphs(components, side).filter((c) => {
    seen(c, labels);
    return edged[c.id] >= MIN_EDGED_SHARE * c.area;
  });
}

/** Find full-white type edged by full black. */
export function findEdgedText(image: GrayImage): EdgedBlock[] {
  const side = Math.max(image.width, image.height);
  const f = Math.max(1, Math.ceil(side / OVERLAY_SIDE));
  const src: Raster = { width: image.width, height: image.height, data: image.data };
  const mx = downsampleMax(src, f),
    mn = downsampleMin(src, f);
  const W = mx.width,
    H = mx.height;
  const [lo] = extremes(mn),
    [, hi] = extremes(mx);
  const range = hi - lo;
  if (range < MIN_RANGE) return [];
  const white = hi - CORE_BAND * range,
    black = lo + EDGE_BAND * range;
  const whiteAt = (i: number) => mx.data[i] >= white;
  const whiteLoose = (i: number) => mx.data[i] >= hi - EDGE_BAND * range;
  const blackAt = (i: number) => mn.data[i] <= lo + CORE_BAND * range;
  const blackLoose = (i: number) => mn.data[i] <= black;
  const white3 = near(W, H, whiteLoose),
    black3 = near(W, H, blackLoose);
  const copySide = Math.max(W, H);
  const rings = new Set<Component>();
  // full-white strokes edged by full black (a shadow, an outline, a disc), and white rings around a letter
  const light = strokes(W, H, whiteAt, mx.data, black3, copySide, (c, labels) => {
    if (isRingMarker(c, labels, W, whiteAt)) rings.add(c);
  });
  // full-black strokes edged by full white: a shadow on a white ground, dark type
  // a shadow is a stroke or two wide and breaks up on the copy: its pieces are joined (a 3 x 3 dilation)
  const dark = strokes(W, H, blackAt, mn.data, white3, copySide, () => {}, true);
  const kept = [...light, ...rings, ...dark].filter((c, i, a) => a.indexOf(c) === i);
  const out: EdgedBlock[] = [];
  const toSource = (b: Box) => {
    const x0 = Math.max(0, (b.x0 - 1) * f),
      y0 = Math.max(0, (b.y0 - 1) * f);
    return {
      x: x0,
      y: y0,
      w: Math.min(image.width, (b.x1 + 2) * f) - x0,
      h: Math.min(image.height, (b.y1 + 2) * f) - y0,
    };
  };
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
