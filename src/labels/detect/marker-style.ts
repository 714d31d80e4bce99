/**
 * How a laterality marker is drawn: a plain letter, in a square frame, in a circle, or on a dark tab. Real sites
 * keep to their own markers, so the style is a site (or technologist) signature that can carry a confound.
 * Read from the pixels around the detected box: a bright ring that surrounds the letter is a frame (round when
 * its distance from the centre hardly varies with direction); otherwise the candidate's own kind (a flooded
 * tab or a holder) or a flat fill that differs from its surroundings says tab.
 */
import type { GrayImage } from '../../data/index.js';
import { selectKth, twoOrderStats } from './select.js';

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
  const n = w * h;
  const vals = new Float32Array(n);
  for (let y = 0; y < h; y++) {
    const from = (y0 + y) * img.width + x0;
    vals.set(img.data.subarray(from, from + w), y * w);
  }
  const [lo, hi] = twoOrderStats(vals, Math.floor(0.05 * (n - 1)), Math.floor(0.995 * (n - 1)));
  const cut = lo + 0.6 * (hi - lo);
  const labels = new Int32Array(n);
  const stack = new Int32Array(n);
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] || vals[i] < cut) continue;
    labels[i] = ++next;
    let top = 0;
    stack[top++] = i;
    while (top) {
      const p = stack[--top];
      const px = p % w,
        py = (p - px) / w;
      const qx0 = px > 0 ? px - 1 : 0,
        qx1 = px < w - 1 ? px + 1 : px,
        qy1 = py < h - 1 ? py + 1 : py;
      for (let qy = py > 0 ? py - 1 : 0; qy <= qy1; qy++)
        for (let q = qy * w + qx0, end = qy * w + qx1; q <= end; q++) {
          if (!labels[q] && vals[q] >= cut) {
            labels[q] = next;
            stack[top++] = q;
          }
        }
    }
  }
  return labels;
}

/** Whether offset (dx, dy) from a box's centre lies well inside the box (inner) or well outside it. */
function inBand(dx: number, dy: number, box: Box, inner: boolean): boolean {
  return inner
    ? Math.abs(dx) < 0.55 * box.w && Math.abs(dy) < 0.55 * box.h
    : Math.max(Math.abs(dx) / box.w, Math.abs(dy) / box.h) > 0.85;
}

/**
 * Median of the window's dark (unlabelled) values at offsets from the box's centre well inside the box (inner) or
 * well outside it (a flag, not a callback: a closure made per call is recompiled after each major GC).
 */
function medianWhere(
  img: GrayImage,
  labels: Int32Array,
  win: { x0: number; y0: number; w: number; h: number; cx: number; cy: number },
  box: Box,
  inner: boolean,
): number {
  const { x0, y0, w, h, cx, cy } = win;
  const v = new Float32Array(w * h);
  let n = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (!labels[y * w + x] && inBand(x + x0 - cx, y + y0 - cy, box, inner))
        v[n++] = img.data[(y0 + y) * img.width + x0 + x];
  return n ? selectKth(v.subarray(0, n), n >> 1) : NaN;
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
  // a holder whose fill behind the letter differs from the surroundings is a tab; anything else unframed is plain
  if (!kind.isHolder) return 'plain';
  const win = { x0, y0, w, h, cx, cy };
  const inner = medianWhere(img, labels, win, box, true);
  const outer = medianWhere(img, labels, win, box, false);
  return Math.abs(inner - outer) > 0.08 ? 'tab' : 'plain';
}
