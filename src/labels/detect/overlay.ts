/**
 * The overlay stage: burned-in text drawn at the image's white level. On real films, digital overlays
 * ("PORTABLE", "AP ERECT", dates) and most lead markers reach the image's maximum, which anatomy seldom does in
 * thin strokes (real-dev: every label but one rotated marker holds a pixel at the maximum, and in 17 of 26 films
 * the labels hold most of the pixels within 10 % of it). The learned stages miss much of this text: it is small
 * on the 256-px working copy, and the phantom they were trained on has no free text. This stage finds it on a
 * block-maximum copy (thin strokes keep their level when the image is shrunk), groups glyphs into lines and lines
 * into blocks, and keeps blocks whose glyphs look like type: compact, thin-stroked, similar in height, standing
 * out from what is around them. It is rule-based and adds only what the learned stages left uncovered.
 */
import type { GrayImage } from '../../data/index.js';
import { labelComponents, elongation, type Component } from './components.js';
import { blockMin, downsampleMinMax, type Raster } from './morph.js';

/** A block of glyphs found by the overlay stage, in source pixels. */
export interface OverlayBlock {
  x: number;
  y: number;
  w: number;
  h: number;
  glyphs: number;
  /** The white level less the darkest level around the block, over the image's range. */
  contrast: number;
  /** Each glyph's box (source pixels, inclusive-exclusive as x, y, w, h). */
  glyphBoxes: { x: number; y: number; w: number; h: number }[];
}

/** Longest side of the block-maximum copy. */
export const OVERLAY_SIDE = 768;
/** Share of the range (1st percentile to maximum) below the maximum that still counts as the white level. */
export const WHITE_BAND = 0.1;
/**
 * Least height of a glyph in pixels of the block-maximum copy (phantom 901: 8 removes 3 of 14 false boxes, 6 one;
 * real-dev: 8 loses a word, 6 none).
 */
export const MIN_GLYPH_PX = 6;
/** Most misalignment of a line's glyphs (see aligned), as a share of their height. */
export const MAX_MISALIGN = 0.15;
/** Least median glyph height of a block at the image's edge (phantom 902: its white borders' specks are 6-7). */
export const MIN_EDGE_GLYPH_PX = 8;
/** Least contrast (white level less the darkest level around, over the range) of a line and of a lone glyph. */
export const MIN_LINE_CONTRAST = 0.45;
export const MIN_GLYPH_CONTRAST = 0.7;
/**
 * Least contrast of a block at the image's edge: a film's white border is noisy, and its specks against the dark
 * exposure beside it make rows of glyph-like marks (phantom 902: 0.57 and 0.62; phantom blocks at the edge 0.48-0.65,
 * real-dev and real-extra text at the edge 0.71 and above, but for a Spanish disc cut by the edge at 0.56, which the
 * ring stage also finds).
 */
export const MIN_EDGE_CONTRAST = 0.66;
/** Most share of near-white pixels (the lower band) around a block, in a band as wide as the block is high. */
export const MAX_WHITE_AROUND = 0.2;
/** The hysteresis' lower band: a glyph's pixels lie within it, and some within WHITE_BAND. */
export const LOW_BAND = 0.25;

/** A box on a reduced copy, inclusive corners. */
export interface CopyBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
type Box = CopyBox;

/**
 * A copy box in source pixels (x, y, w, h), with a copy pixel's margin: the block-maximum copy rounds a stroke's
 * edge to its block.
 */
export function copyBoxToSource(b: CopyBox, f: number, image: { width: number; height: number }) {
  const x0 = Math.max(0, (b.x0 - 1) * f),
    y0 = Math.max(0, (b.y0 - 1) * f);
  return {
    x: x0,
    y: y0,
    w: Math.min(image.width, (b.x1 + 2) * f) - x0,
    h: Math.min(image.height, (b.y1 + 2) * f) - y0,
  };
}
const height = (b: Box) => b.y1 - b.y0 + 1;
const width = (b: Box) => b.x1 - b.x0 + 1;
const union = (a: Box, b: Box): Box => ({
  x0: Math.min(a.x0, b.x0),
  y0: Math.min(a.y0, b.y0),
  x1: Math.max(a.x1, b.x1),
  y1: Math.max(a.y1, b.y1),
});

/** The 1st percentile of values in [0, 1], to 1/1024. */
export function p01Of(data: Float32Array): number {
  const bins = 1024,
    hist = new Uint32Array(bins);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    hist[v <= 0 ? 0 : v >= 1 ? bins - 1 : Math.floor(v * bins)]++;
  }
  let acc = 0;
  for (let b = 0; b < bins; b++) {
    acc += hist[b];
    if (acc >= 0.01 * data.length) return (b + 0.5) / bins;
  }
  return 1;
}

/**
 * Mean of the block-minimum copy (blockMin of `src` by `f`, `width` x `height`) in a band `pad` pixels wide around
 * a box (outside it), or NaN when the band is off the image.
 */
export function bandMinMean(src: Raster, f: number, width: number, height: number, b: Box, pad: number): number {
  let s = 0,
    n = 0;
  for (let y = b.y0 - pad; y <= b.y1 + pad; y++) {
    if (y < 0 || y >= height) continue;
    const inRows = y >= b.y0 && y <= b.y1;
    for (let x = b.x0 - pad; x <= b.x1 + pad; x++) {
      if (x < 0 || x >= width) continue;
      if (inRows && x === b.x0) {
        x = b.x1;
        continue;
      }
      s += blockMin(src, f, x, y);
      n++;
    }
  }
  return n ? s / n : NaN;
}

/** Share of the pixels at or above `low` in a band `pad` wide around a box (outside it). */
export function whiteShare(r: Raster, b: Box, pad: number, low: number): number {
  let white = 0,
    n = 0;
  for (let y = Math.max(0, b.y0 - pad); y <= Math.min(r.height - 1, b.y1 + pad); y++) {
    const inRows = y >= b.y0 && y <= b.y1;
    for (let x = Math.max(0, b.x0 - pad); x <= Math.min(r.width - 1, b.x1 + pad); x++) {
      if (inRows && x === b.x0) {
        x = b.x1;
        continue;
      }
      n++;
      if (r.data[y * r.width + x] >= low) white++;
    }
  }
  return n ? white / n : 0;
}

/** Glyph-like white components: not too small to read, not larger than a line of type, not a wire. */
export function glyphs(comps: Component[], side: number): Component[] {
  return comps.filter((c) => {
    const h = height(c),
      w = width(c);
    // under MIN_GLYPH_PX a white speck is as likely noise over a white surround as type (phantom seed 901)
    if (h < MIN_GLYPH_PX || h > side / 8 || w > side / 6) return false;
    // a one-pixel stroke ("I", "1") is as elongated as a wire; wires are longer than type is high
    if (c.area < 6 || elongation(c).ratio > (Math.max(h, w) <= 24 ? 16 : 8)) return false;
    // a stroke's width against the glyph's size: type is thin-stroked, a bright blob is not
    const stroke = (2 * c.area) / Math.max(c.perimeter, 1);
    return stroke <= 0.4 * Math.max(h, w) && c.area / (h * w) <= 0.85;
  });
}

/**
 * Whether a line's glyphs share a top or a bottom line, as type does (a descender or a mark leaves one of them):
 * the median over glyphs of the nearer one's distance from the line's median, under MAX_MISALIGN of the median
 * glyph height. Lines of one or two glyphs pass. Specks of noise strung along a white border do not.
 */
export function aligned(line: Box[], imageHeight = Infinity): boolean {
  if (line.length < 3) return true;
  const med = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return s[s.length >> 1];
  };
  const top = med(line.map((g) => g.y0)),
    bottom = med(line.map((g) => g.y1)),
    h = med(line.map(height));
  // the image's edge is no one's top or bottom line: it cuts whatever reaches it
  const off = (g: Box) =>
    Math.min(g.y0 <= 0 ? Infinity : Math.abs(g.y0 - top), g.y1 >= imageHeight - 1 ? Infinity : Math.abs(g.y1 - bottom));
  return med(line.map(off)) <= MAX_MISALIGN * h;
}

/** Union-find helper. */
function clusters<T>(items: T[], linked: (a: T, b: T) => boolean): T[][] {
  const parent = items.map((_, i) => i);
  const find = (a: number): number => {
    while (parent[a] !== a) a = parent[a] = parent[parent[a]];
    return a;
  };
  for (let i = 0; i < items.length; i++)
    for (let j = i + 1; j < items.length; j++) {
      if (linked(items[i], items[j])) parent[find(i)] = find(j);
    }
  const out = new Map<number, T[]>();
  items.forEach((it, i) => {
    const r = find(i);
    (out.get(r) ?? out.set(r, []).get(r)!).push(it);
  });
  return [...out.values()];
}

/** Two glyphs on one line: similar height, overlapping rows, close side by side; or one inside the other (a ring). */
function sameLine(a: Box, b: Box): boolean {
  const inside = (p: Box, q: Box) => p.x0 >= q.x0 && p.x1 <= q.x1 && p.y0 >= q.y0 && p.y1 <= q.y1;
  if (inside(a, b) || inside(b, a)) return true;
  const ha = height(a),
    hb = height(b),
    hmax = Math.max(ha, hb);
  if (hmax > 1.8 * Math.min(ha, hb)) return false;
  const rows = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) + 1;
  if (rows < 0.5 * Math.min(ha, hb)) return false;
  const gap = Math.max(a.x0 - b.x1, b.x0 - a.x1) - 1;
  return gap <= 1.2 * hmax;
}

/** Two lines of one block: stacked close together with overlapping columns, of similar type size. */
function sameBlock(a: Box, b: Box): boolean {
  const ha = height(a),
    hb = height(b);
  if (Math.max(ha, hb) > 2 * Math.min(ha, hb)) return false;
  const cols = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) + 1;
  if (cols < 0.3 * Math.min(width(a), width(b))) return false;
  const gap = Math.max(a.y0 - b.y1, b.y0 - a.y1) - 1;
  return gap <= 1.5 * Math.max(ha, hb);
}

/** The block-maximum and block-minimum copies of an image that the overlay stages read, and their factor. */
export interface OverlayCopies {
  f: number;
  max: Raster;
  min: Raster;
}

/** The copies, at the factor that brings the longest side to OVERLAY_SIDE or under. */
export function overlayCopies(image: GrayImage): OverlayCopies {
  const f = Math.max(1, Math.ceil(Math.max(image.width, image.height) / OVERLAY_SIDE));
  const { max, min } = downsampleMinMax({ width: image.width, height: image.height, data: image.data }, f);
  return { f, max, min };
}

/** Glyphs among the copy's components at or above `threshold` that reach `level`. */
function whiteGlyphs(mx: Raster, threshold: number, level: number, side: number): Component[] {
  const n = mx.width * mx.height,
    d = mx.data;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = d[i] >= threshold ? 1 : 0;
  return glyphs(
    labelComponents(mask, mx.width, mx.height, d, d).components.filter((c) => c.maxVal >= level),
    side,
  );
}

const overlaps = (a: Box, b: Box) => a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;

/** Find blocks of white type in an image. */
export function findOverlayText(image: GrayImage, copies: OverlayCopies = overlayCopies(image)): OverlayBlock[] {
  const { f, max: mx } = copies;
  const src: Raster = { width: image.width, height: image.height, data: image.data };
  const n = mx.width * mx.height;
  let pmax = 0;
  for (let i = 0; i < n; i++) if (mx.data[i] > pmax) pmax = mx.data[i];
  const p01 = p01Of(mx.data);
  const range = pmax - p01;
  if (range <= 0.05) return [];
  // hysteresis: pixels near the white level, in components that reach it (compressed type loses some of its level
  // at the edges of thin strokes, and breaks up at the white level alone); where type lies on tissue almost as
  // white, the lower band fuses it with the tissue, so glyphs at the white level alone are added where the lower
  // band has none
  const low = pmax - LOW_BAND * range,
    level = pmax - WHITE_BAND * range;
  const mside = Math.max(mx.width, mx.height);
  const wide = whiteGlyphs(mx, low, level, mside);
  const gs = [...wide, ...whiteGlyphs(mx, level, level, mside).filter((g) => !wide.some((c) => overlaps(c, g)))];
  const out: OverlayBlock[] = [];
  for (const members of groupGlyphs(gs, (line) => aligned(line, mx.height))) {
    const box = members.reduce<Box>((u, c) => union(u, c), members[0]);
    // type stands out from what is around it: the band around the block is well below the white level
    const around = bandMinMean(src, f, mx.width, mx.height, box, 2);
    const contrast = Number.isFinite(around) ? (pmax - around) / range : 1;
    // type stands on a ground below the white level; specks of noise over a white surround (the phantom's
    // bed) stand among others like them
    if (whiteShare(mx, box, height(box), low) > MAX_WHITE_AROUND) continue;
    // along the image's edge, where films have white borders and their noise, small specks are not type
    const edge = box.x0 <= 1 || box.y0 <= 1 || box.x1 >= mx.width - 2 || box.y1 >= mx.height - 2;
    const heights = members.map(height).sort((a, b) => a - b);
    if (edge && heights[heights.length >> 1] < MIN_EDGE_GLYPH_PX) continue;
    if (edge && contrast < MIN_EDGE_CONTRAST) continue;
    // a lone glyph must stand out more than a line: bright noise over dense tissue can make one glyph-like
    // speck, seldom a row of them (real-dev: specks 0.42-0.62, markers the learned stages missed 0.70-0.99)
    if (contrast < (members.length > 1 ? MIN_LINE_CONTRAST : MIN_GLYPH_CONTRAST)) continue;
    const toSource = (b: Box) => copyBoxToSource(b, f, image);
    out.push({ ...toSource(box), glyphs: members.length, contrast, glyphBoxes: members.map(toSource) });
  }
  return out;
}

type Rect = { x: number; y: number; w: number; h: number };
const fromRect = (r: Rect): Box => ({ x0: r.x, y0: r.y, x1: r.x + r.w - 1, y1: r.y + r.h - 1 });

/**
 * Glyph boxes grouped into blocks of text: glyphs into lines (sameLine), lines of more than one glyph into blocks
 * (sameBlock; a lone glyph is a marker, not a line of a block). Works in any pixel frame.
 */
export function groupGlyphs<T extends Box>(gs: T[], keepLine: (line: T[]) => boolean = () => true): T[][] {
  const lines = clusters(gs, sameLine)
    .filter(keepLine)
    .map((members) => ({ members, box: members.reduce<Box>((u, c) => union(u, c), members[0]) }));
  return clusters(lines, (a, b) => a.members.length > 1 && b.members.length > 1 && sameBlock(a.box, b.box)).map((blk) =>
    blk.flatMap((l) => l.members),
  );
}

/** groupGlyphs for x, y, w, h boxes: each group's bounding box and its glyph count. */
export function groupGlyphRects(rs: readonly Rect[]): { box: Rect; glyphs: number }[] {
  return groupGlyphs(rs.map(fromRect)).map((g) => {
    const u = g.reduce<Box>((a, b) => union(a, b), g[0]);
    return { box: { x: u.x0, y: u.y0, w: u.x1 - u.x0 + 1, h: u.y1 - u.y0 + 1 }, glyphs: g.length };
  });
}
