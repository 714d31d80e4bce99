/**
 * Features of a laterality marker's letter for the L/R reader: topology (an R encloses a hole, an L does not),
 * fill, and Hu's moment invariants, which do not change with rotation, scale or mirroring (markers are turned
 * and sometimes read from behind). Hu MK, "Visual pattern recognition by moment invariants", IRE Trans. Inf.
 * Theory 8:179-187 (1962).
 */
import type { Candidate, Working } from './candidates.js';
import type { Component } from './components.js';
import { countHoles } from './features.js';

export const GLYPH_FEATURE_NAMES = ['holes', 'fill', 'hu1', 'hu2', 'hu3', 'hu4', 'hu5', 'hu6', 'hu7', 'aspect', 'stroke'] as const;

const encloses = (a: Component, b: Component) => a !== b && a.x0 <= b.x0 && a.y0 <= b.y0 && a.x1 >= b.x1 && a.y1 >= b.y1;

/** The letter of a marker: the largest member that is not a frame around other members. */
export function glyphComponent(c: Candidate): Component {
  const inner = c.members.filter((m) => !c.members.some((o) => encloses(m, o)));
  const pool = inner.length ? inner : c.members;
  return pool.reduce((a, b) => (b.area > a.area ? b : a));
}

export function glyphFeatures(w: Working, c: Candidate): number[] {
  const g = glyphComponent(c);
  const bw = g.x1 - g.x0 + 1, bh = g.y1 - g.y0 + 1;
  const W = w.img.width;
  const mask = new Uint8Array(bw * bh);
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) {
    if (g.labels[(g.y0 + y) * W + g.x0 + x] === g.id) mask[y * bw + x] = 1;
  }
  // central moments of the binary glyph
  let m00 = 0, mx = 0, my = 0;
  for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) if (mask[y * bw + x]) { m00++; mx += x; my += y; }
  mx /= m00; my /= m00;
  const mu: Record<string, number> = {};
  for (const [p, q] of [[2, 0], [0, 2], [1, 1], [3, 0], [0, 3], [2, 1], [1, 2]]) {
    let s = 0;
    for (let y = 0; y < bh; y++) for (let x = 0; x < bw; x++) if (mask[y * bw + x]) s += (x - mx) ** p * (y - my) ** q;
    mu[`${p}${q}`] = s / m00 ** (1 + (p + q) / 2);
  }
  const n20 = mu['20'], n02 = mu['02'], n11 = mu['11'], n30 = mu['30'], n03 = mu['03'], n21 = mu['21'], n12 = mu['12'];
  const a = n30 + n12, b = n21 + n03;
  const hu = [
    n20 + n02,
    (n20 - n02) ** 2 + 4 * n11 ** 2,
    (n30 - 3 * n12) ** 2 + (3 * n21 - n03) ** 2,
    a ** 2 + b ** 2,
    (n30 - 3 * n12) * a * (a ** 2 - 3 * b ** 2) + (3 * n21 - n03) * b * (3 * a ** 2 - b ** 2),
    (n20 - n02) * (a ** 2 - b ** 2) + 4 * n11 * a * b,
    (3 * n21 - n03) * a * (a ** 2 - 3 * b ** 2) - (n30 - 3 * n12) * b * (3 * a ** 2 - b ** 2),
  ];
  // signed log scale; |hu7| because mirroring flips its sign
  const slog = (v: number) => Math.sign(v) * Math.log10(1 + Math.abs(v) * 1e4);
  const huF = hu.map((v, i) => (i === 6 ? slog(Math.abs(v)) : slog(v)));
  return [
    Math.min(countHoles(mask, bw, bh), 3), m00 / (bw * bh), ...huF,
    Math.log(Math.max(bw, bh) / Math.min(bw, bh)), (2 * g.area) / Math.max(g.perimeter, 1) / Math.max(bw, bh),
  ];
}
