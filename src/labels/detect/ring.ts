/**
 * Ring markers: a closed, thin, round white ring with white strokes inside it (a letter in a circle), the form of
 * digital laterality graphics (real-extra, actualmed: a "D" in a white ring, on a black disc or on bare tissue).
 * At the overlay copies' scale the letter often touches the ring and makes one component with it, which the
 * overlay stage then takes for a lone glyph; this says whether such a component is a ring around a letter.
 */
import type { Component } from './components.js';

/** Least side of a ring, in copy pixels: type's round letters ("O", "0") are smaller on the copy (8-10 px). */
export const MIN_RING_PX = 14;
/** Most ratio of the ring's longer side to its shorter side. */
export const MAX_RING_ASPECT = 1.3;
/** Least share of the directions from the centre in which the ring's band (0.7-1.05 of the radius) is set. */
export const MIN_RING_CLOSED = 0.94;
/** Share of the inner disc (under 0.6 of the radius) that white strokes (a letter) fill: at least, at most. */
export const INNER_FILL = [0.04, 0.6] as const;

const RAYS = 48;

/**
 * Whether component `c` (of `labels`, `width` wide) is a ring with a letter inside: `white` says whether a pixel
 * is at the white level (the letter may be a component of its own).
 */
export function isRingMarker(c: Component, labels: Int32Array, width: number, white: (i: number) => boolean): boolean {
  const w = c.x1 - c.x0 + 1,
    h = c.y1 - c.y0 + 1;
  if (Math.min(w, h) < MIN_RING_PX || Math.max(w, h) > MAX_RING_ASPECT * Math.min(w, h)) return false;
  const cx = (c.x0 + c.x1) / 2,
    cy = (c.y0 + c.y1) / 2,
    ax = w / 2,
    ay = h / 2;
  let closed = 0;
  for (let k = 0; k < RAYS; k++) {
    const t = (2 * Math.PI * k) / RAYS,
      dx = Math.cos(t),
      dy = Math.sin(t);
    for (let r = 0.7; r <= 1.05; r += 0.05) {
      const x = Math.round(cx + r * ax * dx),
        y = Math.round(cy + r * ay * dy);
      if (x < c.x0 || x > c.x1 || y < c.y0 || y > c.y1) continue;
      if (labels[y * width + x] === c.id) {
        closed++;
        break;
      }
    }
  }
  if (closed < MIN_RING_CLOSED * RAYS) return false;
  let inner = 0,
    filled = 0;
  for (let y = c.y0; y <= c.y1; y++)
    for (let x = c.x0; x <= c.x1; x++) {
      const u = (x - cx) / ax,
        v = (y - cy) / ay;
      if (u * u + v * v >= 0.36) continue;
      inner++;
      if (white(y * width + x)) filled++;
    }
  return inner > 0 && filled >= INNER_FILL[0] * inner && filled <= INNER_FILL[1] * inner;
}
