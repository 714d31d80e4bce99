/**
 * Classical candidate stage: bright, sharp, compact detail found by a white top-hat on a working-resolution copy,
 * thresholded with hysteresis, split into connected components and grouped into glyphs, words and framed markers.
 * It aims at recall; the learned verifier (model.ts) decides which candidates are labels.
 */
import type { GrayImage } from '../../data/image.js';
import { downsample, whiteTopHat, type Raster } from './morph.js';
import { labelComponents, type Component } from './components.js';
import { countHoles } from './features.js';

/** Longest side of the working copy: larger images are box-downsampled by an integer factor to about this. */
export const WORKING_SIDE = 256;
/** Longest side of the fine copy that crops (stage 2, L/R reading) are taken from. */
export const FINE_SIDE = 512;

export interface Working {
  /** Downsample factor from the source image to the working copy. */
  factor: number;
  img: Raster;
  /** The fine copy (the source downsampled by fineFactor), for crops. */
  fine: Raster;
  fineFactor: number;
  top: Raster;
  /** Components at each threshold level (low to high), so labels fused to neighbours at a low level separate at a higher one. */
  levels: Level[];
  /** Robust image statistics used to normalise intensities (working copy). */
  p01: number; p50: number; p99: number; pmax: number;
  /** Top-hat structuring element size in working pixels. */
  k: number;
  /** Summed-area tables of img and of top, (width+1) x (height+1), so any rectangle's mean costs four reads. */
  sat: Float64Array;
  satTop: Float64Array;
}

export interface Level { threshold: number; labels: Int32Array; components: Component[] }

/**
 * Threshold levels, as fractions of the image's dynamic range (p1 to max): a top-hat threshold and a floor on
 * intensity. The intensity-gated levels separate near-white letters from the bone they lie on.
 */
export const LEVELS: readonly { top: number; peak: number; value: number }[] = [
  { top: 0.06, peak: 0.11, value: 0 }, { top: 0.12, peak: 0.25, value: 0 }, { top: 0.25, peak: 0.4, value: 0 },
  { top: 0.4, peak: 0.5, value: 0 }, { top: 0.08, peak: 0.2, value: 0.7 }, { top: 0.08, peak: 0.2, value: 0.85 },
];

/** A candidate: a set of components (from any threshold level) and its box in working pixels (inclusive bounds). */
export interface Candidate {
  members: Component[]; x0: number; y0: number; x1: number; y1: number;
  /** Set when the box is a holder/tab found around the members rather than the members' own box. */
  isHolder?: boolean;
  /** Set (with isHolder) when the holder was found by flooding (floodHolder) rather than by walking its sides. */
  isTab?: boolean;
  /** Contrast of a holder found around the members (0 when none), and how many of its sides showed an edge. */
  holderContrast?: number;
  holderSides?: number;
  /** Word-linked components left out of the candidate (a word cut short has some). */
  linkOut?: number;
  /** Whether another component's box encloses this candidate (letters inside a frame). */
  enclosed?: boolean;
}

function percentiles(data: Float32Array, qs: number[]): number[] {
  const bins = 1024;
  const hist = new Uint32Array(bins);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    hist[v <= 0 ? 0 : v >= 1 ? bins - 1 : Math.floor(v * bins)]++;
  }
  return qs.map((q) => {
    const target = q * data.length;
    let acc = 0;
    for (let b = 0; b < bins; b++) { acc += hist[b]; if (acc >= target) return (b + 0.5) / bins; }
    return 1;
  });
}

/** Downsample, top-hat, threshold and label one image. */
export function prepare(image: GrayImage): Working {
  const side = Math.max(image.width, image.height);
  const factor = Math.max(1, Math.floor(side / WORKING_SIDE));
  const fineFactor = Math.max(1, Math.floor(side / FINE_SIDE));
  const fine = downsample({ width: image.width, height: image.height, data: image.data }, fineFactor);
  // floor(floor(n / a) / b) = floor(n / ab), and block means of block means are block means
  const img = factor % fineFactor === 0 ? downsample(fine, factor / fineFactor) : downsample({ width: image.width, height: image.height, data: image.data }, factor);
  const wside = Math.max(img.width, img.height);
  const k = Math.max(7, Math.min(25, 2 * Math.round(wside / 48) + 1));
  const top = whiteTopHat(img, k);
  const [p01, p50, p99] = percentiles(img.data, [0.01, 0.5, 0.99]);
  let pmax = 0;
  for (let i = 0; i < img.data.length; i++) if (img.data[i] > pmax) pmax = img.data[i];
  const range = Math.max(pmax - p01, 1e-3);
  const n = img.width * img.height;
  const mask = new Uint8Array(n);
  const levels: Level[] = [];
  const w0 = (frac: number) => (frac > 0 ? p01 + frac * range : -Infinity);
  LEVELS.forEach((lv, li) => {
    const t = lv.top * range, v = w0(lv.value);
    // hysteresis: a component must reach a higher top-hat response somewhere
    const peakNeeded = lv.peak * range;
    for (let i = 0; i < n; i++) mask[i] = top.data[i] > t && img.data[i] >= v ? 1 : 0;
    const lab = labelComponents(mask, img.width, img.height, img.data, top.data);
    const peak = new Float32Array(lab.components.length + 1);
    for (let i = 0; i < n; i++) { const l = lab.labels[i]; if (l && top.data[i] > peak[l]) peak[l] = top.data[i]; }
    const components = lab.components.filter((c) => c.area >= 3 && peak[c.id] > peakNeeded);
    for (const c of components) c.uid = li * 1_000_000 + c.id;
    levels.push({ threshold: t, labels: lab.labels, components });
  });
  return { factor, img, fine, fineFactor, top, levels, p01, p50, p99, pmax, k, sat: summedArea(img), satTop: summedArea(top) };
}

/** Summed-area table: sat[(y+1)*(w+1) + x+1] is the sum of img over [0..x] x [0..y]. */
export function summedArea(img: Raster): Float64Array {
  const w = img.width, h = img.height, W1 = w + 1;
  const sat = new Float64Array(W1 * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) { row += img.data[y * w + x]; sat[(y + 1) * W1 + x + 1] = sat[y * W1 + x + 1] + row; }
  }
  return sat;
}

/** Sum over the inclusive rectangle [x0..x1] x [y0..y1] (clipped to the image) of a summed-area table's raster. */
export function rectSum(sat: Float64Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number): { sum: number; n: number } {
  x0 = Math.max(0, x0); y0 = Math.max(0, y0); x1 = Math.min(width - 1, x1); y1 = Math.min(height - 1, y1);
  if (x1 < x0 || y1 < y0) return { sum: 0, n: 0 };
  const W1 = width + 1;
  return { sum: sat[(y1 + 1) * W1 + x1 + 1] - sat[y0 * W1 + x1 + 1] - sat[(y1 + 1) * W1 + x0] + sat[y0 * W1 + x0], n: (x1 - x0 + 1) * (y1 - y0 + 1) };
}

const size = (c: { x0: number; y0: number; x1: number; y1: number }) => Math.max(c.x1 - c.x0 + 1, c.y1 - c.y0 + 1);
const gap = (a: Candidate | Component, b: Candidate | Component) =>
  Math.max(a.x0 - b.x1 - 1, b.x0 - a.x1 - 1, a.y0 - b.y1 - 1, b.y0 - a.y1 - 1, 0);

export function boxOf(members: Component[]): Candidate {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (const m of members) { x0 = Math.min(x0, m.x0); y0 = Math.min(y0, m.y0); x1 = Math.max(x1, m.x1); y1 = Math.max(y1, m.y1); }
  return { members, x0, y0, x1, y1 };
}

/**
 * Candidate boxes: every plausible single component, every frame with what it encloses, and word-like clusters
 * of similar-sized components close to one another. Overlapping alternatives are all kept; NMS after scoring
 * picks among them.
 */
export function groupCandidates(w: Working): Candidate[] {
  const wside = Math.max(w.img.width, w.img.height);
  const maxSize = wside / 3;
  const comps = w.levels.flatMap((l) => l.components).filter((c) => size(c) <= maxSize && size(c) >= 3);
  const out: Candidate[] = [];
  const seenMembers = new Set<string>(), seenBoxes = new Set<string>();
  const push = (c: Candidate): boolean => {
    const key = `${c.x0},${c.y0},${c.x1},${c.y1}`;
    if (seenBoxes.has(key) || size(c) > maxSize) return false;
    seenBoxes.add(key); out.push(c);
    return true;
  };
  const add = (members: Component[]) => {
    const key = members.map((m) => m.uid).sort((a, b) => a - b).join(',');
    if (seenMembers.has(key)) return;
    seenMembers.add(key);
    push(boxOf(members));
  };
  for (const c of comps) add([c]);
  // words: links between near, non-overlapping components of similar size and brightness, across threshold
  // levels (letters on bone and on background show at different levels); every linked pair and chain of three
  // is a candidate, and so is each whole linked cluster
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const meanVal = (c: Component) => c.sumVal / c.area;
  const overlap = (a: Component, b: Component) => {
    const ix = Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) + 1), iy = Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) + 1);
    return (ix * iy) / Math.min((a.x1 - a.x0 + 1) * (a.y1 - a.y0 + 1), (b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1));
  };
  const links: number[][] = comps.map(() => []);
  for (let i = 0; i < comps.length; i++) {
    for (let j = i + 1; j < comps.length; j++) {
      const a = comps[i], b = comps[j];
      const sa = size(a), sb = size(b);
      if (Math.max(sa, sb) > 2 * Math.min(sa, sb)) continue;
      if (gap(a, b) > 0.5 * Math.max(sa, sb)) continue;
      if (Math.abs(meanVal(a) - meanVal(b)) > 0.35 * range) continue;
      if (overlap(a, b) > 0.2) continue;
      links[i].push(j); links[j].push(i);
    }
  }
  for (let i = 0; i < comps.length; i++) {
    for (const j of links[i]) {
      if (j > i) add([comps[i], comps[j]]);
      for (const k of links[j]) if (k > i && k !== j && overlap(comps[i], comps[k]) <= 0.2) add([comps[i], comps[j], comps[k]]);
    }
  }
  const parent = comps.map((_, i) => i);
  const find = (a: number): number => { while (parent[a] !== a) a = parent[a] = parent[parent[a]]; return a; };
  links.forEach((ls, i) => ls.forEach((j) => { parent[find(i)] = find(j); }));
  const clusters = new Map<number, Component[]>();
  comps.forEach((c, i) => { const r = find(i); (clusters.get(r) ?? clusters.set(r, []).get(r)!).push(c); });
  for (const g of clusters.values()) if (g.length > 3 && g.length <= 12) add(g);
  // frames: a closed outline (a component with a hole) whose box encloses others of its level takes them in;
  // bent wires and screws can enclose a box without enclosing a hole
  for (const f of comps) {
    const inside = comps.filter((c) => c !== f && c.labels === f.labels && c.x0 >= f.x0 && c.x1 <= f.x1 && c.y0 >= f.y0 && c.y1 <= f.y1);
    if (inside.length === 0 || inside.length > 6) continue;
    const fm = memberMask(boxOf([f]), w.img.width);
    if (countHoles(fm.mask, fm.bw, fm.bh) > 0) add([f, ...inside]);
  }
  const index = new Map(comps.map((c, i) => [c, i]));
  const base = [...out];
  for (const c of base) {
    const members = new Set(c.members);
    const outside = new Set<number>();
    // a neighbour counts when it is not a member's own double from another threshold level
    for (const m of c.members) {
      for (const j of links[index.get(m)!]) if (!members.has(comps[j]) && c.members.every((o) => overlap(o, comps[j]) <= 0.2)) outside.add(j);
    }
    c.linkOut = outside.size;
    c.enclosed = comps.some((o) => !members.has(o) && o.x0 < c.x0 && o.y0 < c.y0 && o.x1 > c.x1 && o.y1 > c.y1 && size(o) < 2.5 * size(c));
    const holder = c.x1 - c.x0 >= 2 || c.y1 - c.y0 >= 2 ? findHolder(w, c) : null;
    c.holderContrast = holder?.contrast ?? 0;
    c.holderSides = holder?.sides ?? 0;
    if (holder) push({ ...holder.box, isHolder: true, holderContrast: holder.contrast, holderSides: holder.sides, linkOut: c.linkOut, enclosed: c.enclosed });
    const tab = c.members.length <= 2 && size(c) >= 6 ? floodHolder(w, c) : null;
    if (tab) push({ ...tab, isHolder: true, isTab: true, holderContrast: c.holderContrast, holderSides: 4, linkOut: c.linkOut, enclosed: c.enclosed });
  }
  return out;
}

/** The members' pixels inside the candidate box as a 0/1 raster (row-major, box width); W is the working image width. */
const masks = new WeakMap<Candidate, { mask: Uint8Array; bw: number; bh: number }>();
export function memberMask(c: Candidate, W: number): { mask: Uint8Array; bw: number; bh: number } {
  const cached = masks.get(c);
  if (cached) return cached;
  const made = makeMemberMask(c, W);
  masks.set(c, made);
  return made;
}

function makeMemberMask(c: Candidate, W: number): { mask: Uint8Array; bw: number; bh: number } {
  const bw = c.x1 - c.x0 + 1, bh = c.y1 - c.y0 + 1;
  const mask = new Uint8Array(bw * bh);
  for (const m of c.members) {
    for (let y = m.y0; y <= m.y1; y++) for (let x = m.x0; x <= m.x1; x++) {
      if (m.labels[y * W + x] === m.id) mask[(y - c.y0) * bw + x - c.x0] = 1;
    }
  }
  return { mask, bw, bh };
}

/** Median of the non-member pixels in the candidate's box (a 256-bin histogram over the image's range), or null when under 4. */
const levels = new WeakMap<Candidate, number | null>();
export function patchLevel(w: Working, c: Candidate): number | null {
  if (!levels.has(c)) levels.set(c, makePatchLevel(w, c));
  return levels.get(c)!;
}

function makePatchLevel(w: Working, c: Candidate): number | null {
  const W = w.img.width, d = w.img.data;
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const { mask } = memberMask(c, W);
  const bw = c.x1 - c.x0 + 1;
  const hist = new Uint16Array(256);
  const scale = 255.999 / range;
  let n = 0;
  for (let y = c.y0; y <= c.y1; y++) for (let x = c.x0; x <= c.x1; x++) {
    if (mask[(y - c.y0) * bw + x - c.x0]) continue;
    const b = (d[y * W + x] - w.p01) * scale;
    hist[b <= 0 ? 0 : b >= 255 ? 255 : b | 0]++;
    n++;
  }
  if (n < 4) return null;
  let bin = 0;
  for (let acc = hist[0]; acc <= n >> 1; acc += hist[++bin]);
  return w.p01 + (bin + 0.5) / scale;
}

/**
 * floodHolder's scratch, reused across calls (a fresh window's arrays per candidate cost as much as the flood):
 * per pixel of the working image, a stamp (epoch * 2 + answer) for each memo, so nothing needs clearing.
 */
let scratch: { n: number; epoch: number; near: Int32Array; row: Int32Array; core: Int32Array; seen: Int32Array; dev: Uint32Array } | null = null;

/** Flood tolerance (fraction of the image's range around the patch level) and erosion radius (working pixels) of floodHolder. */
export const TAB_TOLERANCE = 0.02;
export const TAB_ERODE = 2;

/**
 * A tab under a candidate's letters found by flooding: from the non-letter pixels of its box, through pixels
 * within TAB_TOLERANCE of the range of the patch level, or 3 sigma of its noise where that is more (and through
 * the letters), whose whole (2 TAB_ERODE + 1)^2 neighbourhood is too, inside a window of twice the candidate's
 * size each way; the flooded box is then grown by TAB_ERODE. The erosion keeps the flood out of the thin bands of
 * tissue that cross the tab's level (a soft tissue gradient passes through every level): without it most dark
 * tabs leaked to the window's edge (validation seed 711, 200 studies: 46 of 129 tabs flooded with IoU >= 0.7 at
 * the old 8 % tolerance, 115 of 129 now). A flood that reaches the window's edge is not a tab (it is the background).
 */
export function floodHolder(w: Working, c: Candidate): Candidate | null {
  const W = w.img.width, H = w.img.height, d = w.img.data;
  const level = patchLevel(w, c);
  if (level === null) return null;
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const { mask } = memberMask(c, W);
  const bw = c.x1 - c.x0 + 1;
  // the tolerance, widened to 3 sigma of the patch's noise (1.4826 x the median absolute deviation from the
  // level, from a 1024-bin histogram over the range)
  if (!scratch || scratch.n < W * H || scratch.epoch > 1e9) {
    const n = Math.max(W * H, scratch?.n ?? 0);
    scratch = { n, epoch: 0, near: new Int32Array(n), row: new Int32Array(n), core: new Int32Array(n), seen: new Int32Array(n), dev: new Uint32Array(1024) };
  }
  const sc = scratch;
  const epoch = ++sc.epoch, yes = epoch * 2 + 1, no = epoch * 2;
  const { near, row, core, seen, dev } = sc;
  dev.fill(0);
  let nd = 0;
  for (let y = c.y0; y <= c.y1; y++) for (let x = c.x0; x <= c.x1; x++) {
    if (mask[(y - c.y0) * bw + x - c.x0]) continue;
    const b = Math.floor((Math.abs(d[y * W + x] - level) / range) * 1024);
    dev[b >= 1023 ? 1023 : b]++;
    nd++;
  }
  let bin = 0;
  for (let acc = dev[0]; acc <= nd >> 1 && bin < 1023; acc += dev[++bin]);
  const mad = ((bin + 0.5) / 1024) * range;
  const tol = Math.max(TAB_TOLERANCE * range, 3 * 1.4826 * mad);
  const s = Math.max(c.x1 - c.x0 + 1, c.y1 - c.y0 + 1);
  // the window, clipped to the image: the image's own edge may bound a tab
  const wx0 = Math.max(0, c.x0 - s), wy0 = Math.max(0, c.y0 - s), wx1 = Math.min(W - 1, c.x1 + s), wy1 = Math.min(H - 1, c.y1 + s);
  // near: within the tolerance (or a letter pixel); beyond the window, the window's edge pixel stands in
  const isNear = (x: number, y: number): boolean => {
    x = x < wx0 ? wx0 : x > wx1 ? wx1 : x; y = y < wy0 ? wy0 : y > wy1 ? wy1 : y;
    const k = y * W + x;
    if (near[k] >> 1 !== epoch) {
      const letter = x >= c.x0 && x <= c.x1 && y >= c.y0 && y <= c.y1 && mask[(y - c.y0) * bw + x - c.x0] === 1;
      near[k] = letter || Math.abs(d[k] - level) <= tol ? yes : no;
    }
    return near[k] === yes;
  };
  const e = TAB_ERODE;
  // the erosion, memoised: row, whether the 2e + 1 pixels of a row centred on a pixel are near; core, whether the
  // whole square is (a pixel is asked about from each of its four neighbours)
  const rowNear = (x: number, y: number): boolean => {
    const yc = y < wy0 ? wy0 : y > wy1 ? wy1 : y;
    const k = yc * W + x;
    if (row[k] >> 1 !== epoch) {
      let ok = true;
      for (let dx = -e; dx <= e && ok; dx++) ok = isNear(x + dx, yc);
      row[k] = ok ? yes : no;
    }
    return row[k] === yes;
  };
  const inside = (x: number, y: number): boolean => {
    const k = y * W + x;
    if (core[k] >> 1 !== epoch) {
      let ok = true;
      for (let dy = -e; dy <= e && ok; dy++) ok = rowNear(x, y + dy);
      core[k] = ok ? yes : no;
    }
    return core[k] === yes;
  };
  // the flooded pixels' box (the eroded tab's), then grown back by the erosion radius; the flood starts from
  // each seed in the box in turn (the same pixels as from all at once), so a leak ends it before the rest are tried
  let x0 = c.x0, y0 = c.y0, x1 = c.x1, y1 = c.y1;
  const stack: number[] = [];
  for (let sy = c.y0; sy <= c.y1; sy++) for (let sx = c.x0; sx <= c.x1; sx++) {
    if (seen[sy * W + sx] === epoch || !inside(sx, sy)) continue;
    seen[sy * W + sx] = epoch; stack.push(sx, sy);
    while (stack.length) {
      const y = stack.pop()!, x = stack.pop()!;
      if ((x === wx0 && x > 0) || (y === wy0 && y > 0) || (x === wx1 && x < W - 1) || (y === wy1 && y < H - 1)) return null;
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
      // the four neighbours, without allocating (this loop runs for every flooded pixel)
      for (let q = 0; q < 4; q++) {
        const nx = q === 0 ? x - 1 : q === 1 ? x + 1 : x, ny = q === 2 ? y - 1 : q === 3 ? y + 1 : y;
        if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
        const k = ny * W + nx;
        if (seen[k] === epoch) continue;
        if (inside(nx, ny)) { seen[k] = epoch; stack.push(nx, ny); }
      }
    }
  }
  if (x0 === c.x0 && y0 === c.y0 && x1 === c.x1 && y1 === c.y1) return null;
  return { members: c.members, x0: Math.max(0, x0 - e), y0: Math.max(0, y0 - e), x1: Math.min(W - 1, x1 + e), y1: Math.min(H - 1, y1 + e) };
}

/**
 * A marker holder or tab around a candidate's letters: a flat patch whose edge is a clear step in intensity.
 * Each side is walked outward comparing the mean of each new row/column with the patch level (the median of
 * the non-letter pixels between the strokes). A side without a visible edge (the patch can match the tissue
 * behind it) takes the median distance of the sides that have one; at least two sides must.
 */
export function findHolder(w: Working, c: Candidate): { box: Candidate; contrast: number; sides: number } | null {
  const W = w.img.width, H = w.img.height, d = w.img.data, sat = w.sat, W1 = W + 1;
  const s = Math.max(c.x1 - c.x0 + 1, c.y1 - c.y0 + 1);
  const maxD = Math.ceil(0.8 * s) + 3;
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const lineMean = (x0: number, y0: number, x1: number, y1: number): number => {
    if (x0 < 0 || y0 < 0 || x1 >= W || y1 >= H) return NaN;
    const sum = sat[(y1 + 1) * W1 + x1 + 1] - sat[y0 * W1 + x1 + 1] - sat[(y1 + 1) * W1 + x0] + sat[y0 * W1 + x0];
    return sum / ((x1 - x0 + 1) * (y1 - y0 + 1));
  };
  const level = patchLevel(w, c);
  if (level === null) return null;
  const thr = 0.05 * range;
  const line = (side: number, k: number) => side === 0 ? lineMean(c.x0 - k, c.y0, c.x0 - k, c.y1) : side === 1 ? lineMean(c.x0, c.y0 - k, c.x1, c.y0 - k)
    : side === 2 ? lineMean(c.x1 + k, c.y0, c.x1 + k, c.y1) : lineMean(c.x0, c.y1 + k, c.x1, c.y1 + k);
  const dist: (number | null)[] = [], step: number[] = [];
  for (const side of [0, 1, 2, 3]) {
    let at: number | null = null;
    for (let k = 2; k <= maxD; k++) {
      const m = line(side, k), m2 = line(side, k + 1);
      if (!Number.isFinite(m2)) break;
      if (Math.abs(m - level) > thr && Math.abs(m2 - level) > thr && Math.sign(m - level) === Math.sign(m2 - level)) {
        at = k; step.push(Math.abs(m2 - level) / range);
        break;
      }
    }
    if (at === null) step.push(0);
    dist.push(at);
  }
  // a side whose edge lies much further out than the nearest side's is the tissue's edge, not the holder's
  // (the holder matched the tissue there): it counts as a side without an edge
  const nearest = Math.min(...dist.filter((v): v is number => v !== null));
  dist.forEach((v, i) => { if (v !== null && v > 2.5 * nearest + 3) { dist[i] = null; step[i] = 0; } });
  const found = dist.filter((v) => v !== null).length;
  if (found < 2) return null;
  const contrast = step.reduce((a, b) => a + b, 0);
  const known = dist.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const fill = known[known.length >> 1];
  const [l, t, r, b] = dist.map((v) => v ?? fill);
  const box = { x0: Math.max(0, c.x0 - l + 1), y0: Math.max(0, c.y0 - t + 1), x1: Math.min(W - 1, c.x1 + r - 1), y1: Math.min(H - 1, c.y1 + b - 1) };
  return { box: { members: c.members, ...box }, contrast: contrast / found, sides: found };
}
