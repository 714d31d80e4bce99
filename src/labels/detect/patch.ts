/** What lies inside a candidate's box: its members' pixels and the level of the patch between them. */
import type { Candidate, Working } from './working.js';

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
  const bw = c.x1 - c.x0 + 1,
    bh = c.y1 - c.y0 + 1;
  const mask = new Uint8Array(bw * bh);
  for (const m of c.members) {
    for (let y = m.y0; y <= m.y1; y++)
      for (let x = m.x0; x <= m.x1; x++) {
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
  const W = w.img.width,
    d = w.img.data;
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const { mask } = memberMask(c, W);
  const bw = c.x1 - c.x0 + 1;
  const hist = new Uint16Array(256);
  const scale = 255.999 / range;
  let n = 0;
  for (let y = c.y0; y <= c.y1; y++)
    for (let x = c.x0; x <= c.x1; x++) {
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
