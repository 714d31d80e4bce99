/**
 * Reading technologist initials by template matching: the box's bright glyphs, left to right, each scaled to a
 * small grid and compared (correlation) with the letters of the stroke fonts the phantom draws with. Who took an
 * image is a classic confounder, and the text is what a curator can group by. On real films, lettering unlike
 * those fonts reads poorly; glyphs that match no letter well read "?".
 */
import type { GrayImage } from '../../data/index.js';
import { FONTS, INITIAL_LETTERS } from '../../synth/index.js';
import { twoOrderStats } from './select.js';

const GW = 8,
  GH = 12;
/** Below this correlation with its best letter a glyph reads "?". */
const MIN_MATCH = 0.4;

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Scale a 0/1 mask's rectangle to the GW x GH grid (area averages), centred to zero mean and unit length. */
function toGrid(mask: Float32Array, mw: number, x0: number, y0: number, w: number, h: number): Float32Array {
  const g = new Float32Array(GW * GH);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = mask[(y0 + y) * mw + x0 + x];
      if (v) g[Math.min(GH - 1, Math.floor((y * GH) / h)) * GW + Math.min(GW - 1, Math.floor((x * GW) / w))] += v;
    }
  let sum = 0;
  for (let i = 0; i < g.length; i++) sum += g[i];
  const mean = sum / g.length;
  let norm = 0;
  for (let i = 0; i < g.length; i++) {
    g[i] -= mean;
    norm += g[i] * g[i];
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < g.length; i++) g[i] /= norm;
  return g;
}

let templates: { letter: string; grid: Float32Array }[] | null = null;

/** Every font's initial letters, stroked on a 4 x 6 grid at 8 px per unit and cut to their ink. */
function letterTemplates(): { letter: string; grid: Float32Array }[] {
  if (templates) return templates;
  templates = [];
  const scale = 8,
    pad = 4;
  for (const font of FONTS.values()) {
    for (const letter of INITIAL_LETTERS) {
      const glyph = font.glyphs.get(letter);
      if (!glyph) continue;
      const w = Math.ceil(glyph.width * scale) + 2 * pad,
        h = 6 * scale + 2 * pad;
      const half = (font.strokeRatio * 6 * scale) / 2;
      const mask = new Float32Array(w * h);
      for (const line of glyph.strokes)
        for (let i = 0; i + 1 < line.length; i++) {
          const [ax, ay] = line[i],
            [bx, by] = line[i + 1];
          const x0 = ax * scale + pad,
            y0 = ay * scale + pad,
            dx = (bx - ax) * scale,
            dy = (by - ay) * scale;
          const len2 = dx * dx + dy * dy || 1;
          // only pixels within `half` of the segment's box can lie within `half` of the segment (the first call
          // once took 0.3 s testing every pixel against every stroke)
          const ys = Math.max(0, Math.floor(Math.min(y0, y0 + dy) - half)),
            ye = Math.min(h - 1, Math.ceil(Math.max(y0, y0 + dy) + half));
          const xs = Math.max(0, Math.floor(Math.min(x0, x0 + dx) - half)),
            xe = Math.min(w - 1, Math.ceil(Math.max(x0, x0 + dx) + half));
          for (let y = ys; y <= ye; y++)
            for (let x = xs; x <= xe; x++) {
              const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
              if (Math.hypot(x - x0 - t * dx, y - y0 - t * dy) <= half) mask[y * w + x] = 1;
            }
        }
      let mx0 = w,
        my0 = h,
        mx1 = -1,
        my1 = -1;
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          if (mask[y * w + x]) {
            mx0 = Math.min(mx0, x);
            my0 = Math.min(my0, y);
            mx1 = Math.max(mx1, x);
            my1 = Math.max(my1, y);
          }
      templates.push({ letter, grid: toGrid(mask, w, mx0, my0, mx1 - mx0 + 1, my1 - my0 + 1) });
    }
  }
  return templates;
}

/**
 * Letters that touch (blur, a slight rotation) leave no empty column between them: a run wider than a letter is cut
 * into as many letters as its width holds (a letter is about 2/3 of its height wide, 1/4 apart), each cut at the
 * column of least ink near where it is expected.
 */
function splitRun(ink: Uint16Array, s: number, e: number, h: number): [number, number][] {
  const width = e - s + 1;
  const n = Math.max(1, Math.round((width + 0.27 * h) / (0.94 * h)));
  const out: [number, number][] = [];
  let start = s;
  for (let k = 1; k < n; k++) {
    const expected = s + Math.round((k * width) / n);
    let cut = expected;
    for (
      let x = Math.max(start + 2, expected - Math.round(0.2 * h));
      x <= Math.min(e - 2, expected + Math.round(0.2 * h));
      x++
    ) {
      if (ink[x] < ink[cut]) cut = x;
    }
    out.push([start, cut - 1]);
    start = cut + 1;
  }
  out.push([start, e]);
  return out;
}

/** The text of an initials box (source pixels), "?" for each glyph that matches no letter; "" when no glyph is found. */
export function readInitials(img: GrayImage, box: Box): string {
  const x0 = Math.max(0, Math.floor(box.x)),
    y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.ceil(box.x + box.w)),
    y1 = Math.min(img.height, Math.ceil(box.y + box.h));
  const w = x1 - x0,
    h = y1 - y0;
  if (w < 3 || h < 3) return '';
  const vals = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) vals[y * w + x] = img.data[(y0 + y) * img.width + x0 + x];
  const [lo, hi] = twoOrderStats(vals, Math.floor(0.05 * (vals.length - 1)), vals.length - 1);
  const cut = lo + 0.5 * (hi - lo);
  const mask = new Float32Array(vals.length);
  for (let i = 0; i < vals.length; i++) mask[i] = vals[i] >= cut ? 1 : 0;
  // glyphs: columns of ink separated by empty columns (the fonts' letters do not overlap horizontally)
  const ink = new Uint16Array(w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) ink[x] += mask[y * w + x];
  const runs: [number, number][] = [];
  for (let x = 0; x < w; x++) {
    if (!ink[x]) continue;
    const s = x;
    while (x + 1 < w && ink[x + 1]) x++;
    runs.push(...splitRun(ink, s, x, h));
  }
  const tallest = h;
  const out: string[] = [];
  for (const [s, e] of runs) {
    let gy0 = h,
      gy1 = -1;
    for (let y = 0; y < h; y++)
      for (let x = s; x <= e; x++)
        if (mask[y * w + x]) {
          gy0 = Math.min(gy0, y);
          gy1 = Math.max(gy1, y);
        }
    // specks and slivers of a neighbour cut by the box are not glyphs
    if (gy1 - gy0 + 1 < 0.4 * tallest || e - s + 1 < 2) continue;
    const grid = toGrid(mask, w, s, gy0, e - s + 1, gy1 - gy0 + 1);
    let best = '?',
      score = MIN_MATCH;
    for (const t of letterTemplates()) {
      let c = 0;
      for (let i = 0; i < grid.length; i++) c += grid[i] * t.grid[i];
      if (c > score) {
        score = c;
        best = t.letter;
      }
    }
    out.push(best);
  }
  return out.join('');
}
