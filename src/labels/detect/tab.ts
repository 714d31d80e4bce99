/** Dark tabs under a candidate's letters, found by flooding from the patch between them. */
import type { Candidate, Working } from './working.js';
import { memberMask, patchLevel } from './patch.js';

/**
 * floodHolder's scratch, reused across calls (a fresh window's arrays per candidate cost as much as the flood):
 * per pixel of the working image, a stamp (epoch * 2 + answer) for each memo, so nothing needs clearing.
 */
let scratch: {
  n: number;
  epoch: number;
  near: Int32Array;
  row: Int32Array;
  core: Int32Array;
  seen: Int32Array;
  dev: Uint32Array;
  /** The flood's stack of pixel indices (each pixel is pushed at most once). */
  stack: Int32Array;
} | null = null;

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
  const W = w.img.width,
    H = w.img.height,
    d = w.img.data;
  const level = patchLevel(w, c);
  if (level === null) return null;
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const { mask } = memberMask(c, W);
  const bw = c.x1 - c.x0 + 1;
  // the tolerance, widened to 3 sigma of the patch's noise (1.4826 x the median absolute deviation from the
  // level, from a 1024-bin histogram over the range)
  if (!scratch || scratch.n < W * H || scratch.epoch > 1e9) {
    const n = Math.max(W * H, scratch?.n ?? 0);
    scratch = {
      n,
      epoch: 0,
      near: new Int32Array(n),
      row: new Int32Array(n),
      core: new Int32Array(n),
      seen: new Int32Array(n),
      dev: new Uint32Array(1024),
      stack: new Int32Array(n),
    };
  }
  const sc = scratch;
  const epoch = ++sc.epoch,
    yes = epoch * 2 + 1,
    no = epoch * 2;
  const { near, row, core, seen, dev, stack } = sc;
  dev.fill(0);
  let nd = 0;
  for (let y = c.y0; y <= c.y1; y++)
    for (let x = c.x0; x <= c.x1; x++) {
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
  const wx0 = Math.max(0, c.x0 - s),
    wy0 = Math.max(0, c.y0 - s),
    wx1 = Math.min(W - 1, c.x1 + s),
    wy1 = Math.min(H - 1, c.y1 + s);
  const e = TAB_ERODE;
  const f: Erosion = { W, wx0, wy0, wx1, wy1, near, row, core, epoch, yes, no, c, mask, bw, d, level, tol };
  // the flooded pixels' box (the eroded tab's), then grown back by the erosion radius; the flood starts from
  // each seed in the box in turn (the same pixels as from all at once), so a leak ends it before the rest are tried
  let x0 = c.x0,
    y0 = c.y0,
    x1 = c.x1,
    y1 = c.y1;
  let top = 0;
  for (let sy = c.y0; sy <= c.y1; sy++)
    for (let sx = c.x0; sx <= c.x1; sx++) {
      if (seen[sy * W + sx] === epoch || !inside(f, sx, sy)) continue;
      seen[sy * W + sx] = epoch;
      stack[top++] = sy * W + sx;
      while (top) {
        const k0 = stack[--top];
        const x = k0 % W,
          y = (k0 - x) / W;
        if ((x === wx0 && x > 0) || (y === wy0 && y > 0) || (x === wx1 && x < W - 1) || (y === wy1 && y < H - 1))
          return null;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        // the four neighbours, without allocating (this loop runs for every flooded pixel)
        for (let q = 0; q < 4; q++) {
          const nx = q === 0 ? x - 1 : q === 1 ? x + 1 : x,
            ny = q === 2 ? y - 1 : q === 3 ? y + 1 : y;
          if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
          const k = ny * W + nx;
          if (seen[k] === epoch) continue;
          if (inside(f, nx, ny)) {
            seen[k] = epoch;
            stack[top++] = k;
          }
        }
      }
    }
  if (x0 === c.x0 && y0 === c.y0 && x1 === c.x1 && y1 === c.y1) return null;
  return {
    members: c.members,
    x0: Math.max(0, x0 - e),
    y0: Math.max(0, y0 - e),
    x1: Math.min(W - 1, x1 + e),
    y1: Math.min(H - 1, y1 + e),
  };
}

/** What the erosion's memoised tests read (module-level functions: closures made per call were recompiled at each major GC). */
interface Erosion {
  W: number;
  wx0: number;
  wy0: number;
  wx1: number;
  wy1: number;
  near: Int32Array;
  row: Int32Array;
  core: Int32Array;
  epoch: number;
  yes: number;
  no: number;
  c: Candidate;
  mask: Uint8Array;
  bw: number;
  d: Float32Array;
  level: number;
  tol: number;
}

/** Near: within the tolerance (or a letter pixel); beyond the window, the window's edge pixel stands in. */
function isNear(f: Erosion, x: number, y: number): boolean {
  x = x < f.wx0 ? f.wx0 : x > f.wx1 ? f.wx1 : x;
  y = y < f.wy0 ? f.wy0 : y > f.wy1 ? f.wy1 : y;
  const k = y * f.W + x;
  if (f.near[k] >> 1 !== f.epoch) {
    const c = f.c;
    const letter = x >= c.x0 && x <= c.x1 && y >= c.y0 && y <= c.y1 && f.mask[(y - c.y0) * f.bw + x - c.x0] === 1;
    f.near[k] = letter || Math.abs(f.d[k] - f.level) <= f.tol ? f.yes : f.no;
  }
  return f.near[k] === f.yes;
}

/**
 * The erosion, memoised: rowNear, whether the 2e + 1 pixels of a row centred on a pixel are near; inside, whether
 * the whole square is (a pixel is asked about from each of its four neighbours).
 */
function rowNear(f: Erosion, x: number, y: number): boolean {
  const yc = y < f.wy0 ? f.wy0 : y > f.wy1 ? f.wy1 : y;
  const k = yc * f.W + x;
  if (f.row[k] >> 1 !== f.epoch) {
    let ok = true;
    for (let dx = -TAB_ERODE; dx <= TAB_ERODE && ok; dx++) ok = isNear(f, x + dx, yc);
    f.row[k] = ok ? f.yes : f.no;
  }
  return f.row[k] === f.yes;
}

function inside(f: Erosion, x: number, y: number): boolean {
  const k = y * f.W + x;
  if (f.core[k] >> 1 !== f.epoch) {
    let ok = true;
    for (let dy = -TAB_ERODE; dy <= TAB_ERODE && ok; dy++) ok = rowNear(f, x, y + dy);
    f.core[k] = ok ? f.yes : f.no;
  }
  return f.core[k] === f.yes;
}
