/** Marker holders around a candidate's letters, found by walking out from each side to an edge. */
import type { Candidate, Working } from './working.js';
import { patchLevel } from './patch.js';

/**
 * A marker holder or tab around a candidate's letters: a flat patch whose edge is a clear step in intensity.
 * Each side is walked outward comparing the mean of each new row/column with the patch level (the median of
 * the non-letter pixels between the strokes). A side without a visible edge (the patch can match the tissue
 * behind it) takes the median distance of the sides that have one; at least two sides must.
 */
const isNumber = (v: number | null): v is number => v !== null;
const ascending = (a: number, b: number) => a - b;

/** Mean of the working copy over an inclusive rectangle, NaN when it leaves the image. */
function lineMean(w: Working, x0: number, y0: number, x1: number, y1: number): number {
  const W = w.img.width,
    W1 = W + 1,
    sat = w.sat;
  if (x0 < 0 || y0 < 0 || x1 >= W || y1 >= w.img.height) return NaN;
  const sum = sat[(y1 + 1) * W1 + x1 + 1] - sat[y0 * W1 + x1 + 1] - sat[(y1 + 1) * W1 + x0] + sat[y0 * W1 + x0];
  return sum / ((x1 - x0 + 1) * (y1 - y0 + 1));
}

export function findHolder(w: Working, c: Candidate): { box: Candidate; contrast: number; sides: number } | null {
  const W = w.img.width,
    H = w.img.height;
  const s = Math.max(c.x1 - c.x0 + 1, c.y1 - c.y0 + 1);
  const maxD = Math.ceil(0.8 * s) + 3;
  const range = Math.max(w.pmax - w.p01, 1e-3);
  const level = patchLevel(w, c);
  if (level === null) return null;
  const thr = 0.05 * range;
  const line = (side: number, k: number) =>
    side === 0
      ? lineMean(w, c.x0 - k, c.y0, c.x0 - k, c.y1)
      : side === 1
        ? lineMean(w, c.x0, c.y0 - k, c.x1, c.y0 - k)
        : side === 2
          ? lineMean(w, c.x1 + k, c.y0, c.x1 + k, c.y1)
          : lineMean(w, c.x0, c.y1 + k, c.x1, c.y1 + k);
  const dist: (number | null)[] = [],
    step: number[] = [];
  for (const side of [0, 1, 2, 3]) {
    let at: number | null = null;
    for (let k = 2; k <= maxD; k++) {
      const m = line(side, k),
        m2 = line(side, k + 1);
      if (!Number.isFinite(m2)) break;
      if (Math.abs(m - level) > thr && Math.abs(m2 - level) > thr && Math.sign(m - level) === Math.sign(m2 - level)) {
        at = k;
        step.push(Math.abs(m2 - level) / range);
        break;
      }
    }
    if (at === null) step.push(0);
    dist.push(at);
  }
  // a side whose edge lies much further out than the nearest side's is the tissue's edge, not the holder's
  // (the holder matched the tissue there): it counts as a side without an edge
  // (loops and module-level callbacks: a closure made per call is recompiled after each major GC)
  const nearest = Math.min(...dist.filter(isNumber));
  for (let i = 0; i < dist.length; i++) {
    const v = dist[i];
    if (v !== null && v > 2.5 * nearest + 3) {
      dist[i] = null;
      step[i] = 0;
    }
  }
  const known = dist.filter(isNumber);
  const found = known.length;
  if (found < 2) return null;
  let contrast = 0;
  for (const s of step) contrast += s;
  known.sort(ascending);
  const fill = known[known.length >> 1];
  const [l, t, r, b] = [dist[0] ?? fill, dist[1] ?? fill, dist[2] ?? fill, dist[3] ?? fill];
  const box = {
    x0: Math.max(0, c.x0 - l + 1),
    y0: Math.max(0, c.y0 - t + 1),
    x1: Math.min(W - 1, c.x1 + r - 1),
    y1: Math.min(H - 1, c.y1 + b - 1),
  };
  return { box: { members: c.members, ...box }, contrast: contrast / found, sides: found };
}
