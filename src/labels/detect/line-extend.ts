/**
 * Lines of type a found box covers only part of: the learned stages box a word's larger glyphs and leave its thin
 * ones ("SITTIN.." cut at the right edge: the S and the N boxed, "ITTI" not), and no stage finds a line cut by the
 * top edge whose glyphs are a few pixels high ("..PRIGHT": one box over half of it). From each found box, this
 * stage walks along its rows, in source pixels, through glyphs at the box's own stroke level and of no more than its
 * height, and boxes those no box covers as more of the line's text.
 */
import type { GrayImage } from '../../data/index.js';
import { labelComponents, type Component } from './components.js';
import { coveredShare } from './coverage.js';
import { REAL_FILM_SIDE } from './working.js';

type Rect = { x: number; y: number; w: number; h: number };

/**
 * Most height of a box whose line is walked, as a share of the film's longest side: overlay type is small beside the
 * film (real-all: the lines walked are 10 px of 1,440 and 50 of 1,962, 1/39 and under), while a phantom's marker
 * plate is a fifth of it (a 1,024-px phantom, seed 901: plates 230 px high, whose walk boxed tissue beside them and
 * cost 0.016 precision at 1/16). At 1/32 rather than 1/16 the walk finds the same on real-all, real-extra and
 * real-dev and costs a third as much (real-dev Actualmed films: 2.2 ms of 149 per film, not 6.3 of 159).
 */
export const MAX_LINE_SHARE = 1 / 32;
/** Share of a box's height the strip reaches above and below it; a glyph reaching the strip's edge is not type. */
export const STRIP_MARGIN = 0.3;
/** How far (in box heights) the walk reaches beyond the box on each side. */
export const REACH = 8;
/** Most gap between consecutive glyphs of a line, in box heights (type's word spaces are under one height). */
export const MAX_GAP = 1.5;
/**
 * The same along a line the image's top or bottom edge cuts: the box is only the cut glyphs' height, a fraction of
 * the type's, and the word spaces are wider than it (real-all, COVID-00016: "..PRIGHT" cut to 10 px of type some
 * 40 px high, a word space of 30 px).
 */
export const MAX_EDGE_GAP = 3;
/** Least glyphs the walk must find, both sides together, for them to be text (one bright speck beside a box is not). */
export const MIN_CHAIN = 2;
/** Least stroke contrast (the box's 95th percentile less its 25th) for its level to mean a stroke. */
export const MIN_STROKE = 0.2;
/**
 * Most a glyph's brightest pixel may lie below the box's stroke level (its 95th percentile), as a share of the
 * stroke contrast: overlay type is drawn at one level, and the tissue beside a block reaches its mid level but not
 * its white (real-all, COVID-00039b: a tube and wires beside "ERECT / MOBILE" were taken for glyphs without it).
 */
export const PEAK_DROP = 0.15;
/** Least height of a glyph, as a share of the box's height. */
export const MIN_GLYPH_SHARE = 0.4;

/** The q-quantiles of the pixels of `img` in a clipped rectangle, to 1/256 (a histogram: no copy is sorted). */
function quantiles(img: GrayImage, x0: number, y0: number, x1: number, y1: number, qs: number[]): number[] {
  const hist = new Uint32Array(256);
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const v = img.data[y * img.width + x];
      hist[v <= 0 ? 0 : v >= 1 ? 255 : Math.floor(v * 256)]++;
    }
  const n = (x1 - x0 + 1) * (y1 - y0 + 1);
  return qs.map((q) => {
    let acc = 0;
    for (let b = 0; b < 256; b++) {
      acc += hist[b];
      if (acc > q * n) return (b + 0.5) / 256;
    }
    return 1;
  });
}

/** Glyph boxes (source pixels) on the line of box `b` beyond it, left and right, that chain to it. */
export function lineGlyphs(img: GrayImage, b: Rect): Rect[] {
  const W = img.width,
    H = img.height,
    h = b.h;
  const bx0 = Math.max(0, Math.floor(b.x)),
    by0 = Math.max(0, Math.floor(b.y)),
    bx1 = Math.min(W - 1, Math.ceil(b.x + b.w) - 1),
    by1 = Math.min(H - 1, Math.ceil(b.y + b.h) - 1);
  if (h < 4 || h > MAX_LINE_SHARE * Math.max(W, H) || bx1 < bx0 || by1 < by0) return [];
  const [lo, hi] = quantiles(img, bx0, by0, bx1, by1, [0.25, 0.95]);
  if (hi - lo < MIN_STROKE) return [];
  const t = (lo + hi) / 2;
  const sy0 = Math.max(0, Math.floor(b.y - STRIP_MARGIN * h)),
    sy1 = Math.min(H - 1, Math.ceil(b.y + b.h + STRIP_MARGIN * h)),
    sx0 = Math.max(0, Math.floor(b.x - REACH * h)),
    sx1 = Math.min(W - 1, Math.ceil(b.x + b.w + REACH * h));
  const sw = sx1 - sx0 + 1,
    sh = sy1 - sy0 + 1;
  const mask = new Uint8Array(sw * sh),
    vals = new Float32Array(sw * sh);
  for (let y = 0; y < sh; y++)
    for (let x = 0; x < sw; x++) {
      const v = img.data[(y + sy0) * W + x + sx0];
      vals[y * sw + x] = v;
      mask[y * sw + x] = v >= t ? 1 : 0;
    }
  const comps = labelComponents(mask, sw, sh, vals, vals).components;
  // a glyph lies within the strip: one reaching its top or bottom row (where that is not the image's edge) runs on
  // into tissue or another line
  // along a line the top or bottom edge cuts, glyphs cut by it are as short as the edge leaves them
  const cutTop = by0 === 0,
    cutBottom = by1 === H - 1;
  const cut = (c: Component) => (cutTop && c.y0 === 0) || (cutBottom && c.y1 === sh - 1);
  const ok = (c: Component) =>
    (c.y0 > 0 || sy0 === 0) &&
    (c.y1 < sh - 1 || sy1 === H - 1) &&
    c.area >= 4 &&
    c.maxVal >= hi - PEAK_DROP * (hi - lo) &&
    (cut(c) || (c.y1 - c.y0 + 1 >= MIN_GLYPH_SHARE * h && c.area / ((c.x1 - c.x0 + 1) * (c.y1 - c.y0 + 1)) <= 0.85));
  const rects = comps.filter(ok).map((c) => ({ x: c.x0 + sx0, y: c.y0 + sy0, w: c.x1 - c.x0 + 1, h: c.y1 - c.y0 + 1 }));
  const out: Rect[] = [];
  for (const dir of [1, -1]) {
    const side = rects.filter((r) => (dir > 0 ? r.x >= b.x + b.w : r.x + r.w <= b.x)).sort((p, q) => dir * (p.x - q.x));
    let edge = dir > 0 ? b.x + b.w : b.x;
    const chain: Rect[] = [];
    for (const r of side) {
      const gap = dir > 0 ? r.x - edge : edge - (r.x + r.w);
      if (gap > (cutTop || cutBottom ? MAX_EDGE_GAP : MAX_GAP) * h) break;
      chain.push(r);
      edge = dir > 0 ? Math.max(edge, r.x + r.w) : Math.min(edge, r.x);
    }
    out.push(...chain);
  }
  return out.length >= MIN_CHAIN ? out : [];
}

/**
 * Boxes for the glyphs that lines of `boxes` run on into and that no box covers (one box per side of a line), each
 * spanning its line's rows as well as its glyphs': the glyphs of a cut line are shorter than the line.
 */
export function extendLines<B extends Rect>(boxes: readonly B[], img: GrayImage, make: (r: Rect, from: B) => B): B[] {
  const out = [...boxes];
  if (Math.max(img.width, img.height) < REAL_FILM_SIDE) return out;
  for (const b of boxes) {
    const free = lineGlyphs(img, b).filter((g) => coveredShare(g, out) < 0.5);
    for (const dir of [1, -1]) {
      const gs = free.filter((g) => (dir > 0 ? g.x >= b.x + b.w : g.x + g.w <= b.x));
      if (!gs.length) continue;
      const x0 = Math.min(...gs.map((g) => g.x)),
        y0 = Math.min(b.y, ...gs.map((g) => g.y)),
        x1 = Math.max(...gs.map((g) => g.x + g.w)),
        y1 = Math.max(b.y + b.h, ...gs.map((g) => g.y + g.h));
      out.push(make({ x: x0, y: y0, w: x1 - x0, h: y1 - y0 }, b));
    }
  }
  return out;
}
