/**
 * How a laterality marker is drawn: a plain letter, in a square frame, in a circle, or on a dark tab. Real sites
 * keep to their own markers, so the style is a site (or technologist) signature that can carry a confound.
 * Read from the pixels around the detected box: a bright ring that surrounds the letter is a frame (round when
 * its distance from the centre hardly varies with direction); otherwise the candidate's own kind (a flooded
 * tab or a holder) or a flat fill that differs from its surroundings says tab.
 */
import type { GrayImage } from '../../data/index.js';

export const DETECTED_MARKER_STYLES = ['plain', 'box', 'circle', 'tab'] as const;
export type DetectedMarkerStyle = (typeof DETECTED_MARKER_STYLES)[number];

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const RAYS = 32;
/** A component met by this share of the rays from the centre surrounds it. */
const SURROUND = 0.9;
/** Roundness above which a ring is a circle (a disc's is 1, a square's 2/pi = 0.64 at any rotation). */
const ROUND = 0.82;

/**
 * Roundness of the ring's inner edge, seen from inside: the polygon of the points where the rays first meet it,
 * its area over the area of the disc that reaches its farthest point from the polygon's centroid. Anatomy that
 * touches the ring from outside does not change it.
 */
function roundness(points: readonly [number, number][]): number {
  let area = 0,
    cx = 0,
    cy = 0;
  for (let i = 0; i < points.length; i++) {
    const [x0, y0] = points[i],
      [x1, y1] = points[(i + 1) % points.length];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (Math.abs(area) < 1e-9) return 0;
  cx /= 3 * area;
  cy /= 3 * area;
  const r = Math.max(...points.map(([x, y]) => Math.hypot(x - cx, y - cy)));
  return Math.abs(area / 2) / (Math.PI * r * r);
}

/** Bright pixels of a window as 8-connected components: label per pixel (0 = dark). */
function brightComponents(img: GrayImage, x0: number, y0: number, w: number, h: number): Int32Array {
  const vals = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) vals[y * w + x] = img.data[(y0 + y) * img.width + x0 + x];
  const sorted = Float32Array.from(vals).sort();
  const lo = sorted[Math.floor(0.05 * (sorted.length - 1))],
    hi = sorted[Math.floor(0.995 * (sorted.length - 1))];
  const cut = lo + 0.6 * (hi - lo);
  const labels = new Int32Array(w * h);
  let next = 0;
  const stack: number[] = [];
  for (let i = 0; i < vals.length; i++) {
    if (labels[i] || vals[i] < cut) continue;
    labels[i] = ++next;
    stack.push(i);
    while (stack.length) {
      const p = stack.pop()!;
      const px = p % w,
        py = (p - px) / w;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const qx = px + dx,
            qy = py + dy;
          if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
          const q = qy * w + qx;
          if (!labels[q] && vals[q] >= cut) {
            labels[q] = next;
            stack.push(q);
          }
        }
    }
  }
  return labels;
}

/** Median of the window's values where keep(x, y) holds (NaN when none). */
function medianWhere(
  img: GrayImage,
  x0: number,
  y0: number,
  w: number,
  h: number,
  keep: (x: number, y: number) => boolean,
): number {
  const v: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) if (keep(x, y)) v.push(img.data[(y0 + y) * img.width + x0 + x]);
  v.sort((a, b) => a - b);
  return v.length ? v[v.length >> 1] : NaN;
}

/** The style of the marker in `box` (source pixels); `kind` is the candidate's own finding (flooded tab, holder). */
export function readMarkerStyle(
  img: GrayImage,
  box: Box,
  kind: { isTab?: boolean; isHolder?: boolean },
): DetectedMarkerStyle {
  const side = Math.max(box.w, box.h);
  const cx = box.x + box.w / 2,
    cy = box.y + box.h / 2;
  const reach = side * 1.1;
  const x0 = Math.max(0, Math.floor(cx - reach)),
    y0 = Math.max(0, Math.floor(cy - reach));
  const x1 = Math.min(img.width, Math.ceil(cx + reach)),
    y1 = Math.min(img.height, Math.ceil(cy + reach));
  const w = x1 - x0,
    h = y1 - y0;
  if (w < 4 || h < 4) return 'plain';
  const labels = brightComponents(img, x0, y0, w, h);
  // where each ray first and last meets each component (a ring merged with its letter is met first at the letter)
  const first = new Map<number, [number, number][]>(),
    last = new Map<number, [number, number][]>();
  for (let r = 0; r < RAYS; r++) {
    const a = (2 * Math.PI * r) / RAYS,
      dx = Math.cos(a),
      dy = Math.sin(a);
    const ends = new Map<number, number>();
    for (let t = 0; t < reach; t += 0.5) {
      const x = Math.round(cx + dx * t) - x0,
        y = Math.round(cy + dy * t) - y0;
      if (x < 0 || y < 0 || x >= w || y >= h) break;
      const l = labels[y * w + x];
      if (!l) continue;
      if (!ends.has(l)) (first.get(l) ?? first.set(l, []).get(l)!).push([dx * t, dy * t]);
      ends.set(l, t);
    }
    for (const [l, t] of ends) (last.get(l) ?? last.set(l, []).get(l)!).push([dx * t, dy * t]);
  }
  for (const [l, points] of first) {
    if (points.length < SURROUND * RAYS) continue;
    // a letter's bowl can surround the centre too, but close in: a frame lies beyond the letter's half-height
    if (Math.max(...points.map(([x, y]) => Math.hypot(x, y))) < 0.3 * side) continue;
    const rr = Math.max(roundness(points), roundness(last.get(l)!));
    return rr > ROUND ? 'circle' : 'box';
  }
  if (kind.isTab) return 'tab';
  // a flat fill behind the letter that differs from the surroundings
  const inner = medianWhere(
    img,
    x0,
    y0,
    w,
    h,
    (x, y) => !labels[y * w + x] && Math.abs(x + x0 - cx) < 0.55 * box.w && Math.abs(y + y0 - cy) < 0.55 * box.h,
  );
  const outer = medianWhere(
    img,
    x0,
    y0,
    w,
    h,
    (x, y) => !labels[y * w + x] && Math.max(Math.abs(x + x0 - cx) / box.w, Math.abs(y + y0 - cy) / box.h) > 0.85,
  );
  return kind.isHolder && Math.abs(inner - outer) > 0.08 ? 'tab' : 'plain';
}
