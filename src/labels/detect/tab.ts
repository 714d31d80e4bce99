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
  // near: within the tolerance (or a letter pixel); beyond the window, the window's edge pixel stands in
  const isNear = (x: number, y: number): boolean => {
    x = x < wx0 ? wx0 : x > wx1 ? wx1 : x;
    y = y < wy0 ? wy0 : y > wy1 ? wy1 : y;
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
  let x0 = c.x0,
    y0 = c.y0,
    x1 = c.x1,
    y1 = c.y1;
  let top = 0;
  for (let sy = c.y0; sy <= c.y1; sy++)
    for (let sx = c.x0; sx <= c.x1; sx++) {
      if (seen[sy * W + sx] === epoch || !inside(sx, sy)) continue;
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
          if (inside(nx, ny)) {
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
