/**
 * Burned-in labels: a laterality marker (L/R, plain, in a square frame, in a circle, or on a dark tab) and a
 * technologist's initials. Drawn as coverage maps so the exact label pixels are known.
 */
import type { Rng } from '../util/index.js';
import { FONTS, layoutText, type FontName } from './fonts.js';
import { fillConvex, gaussianBlur, strokeSegments, type Seg } from './raster.js';
import type { MarkerStyle } from './types.js';

export type SynthLabelCategory = 'laterality' | 'technologist';

export interface LabelShape {
  category: SynthLabelCategory;
  text: string;
  font: FontName;
  style: MarkerStyle;
  /** Letter height in pixels. */
  height: number;
  /** Stroke width as a share of the letter height, instead of the font's (bold markers of the extended set). */
  strokeRatio?: number;
}

export interface DrawnLabel {
  category: SynthLabelCategory;
  text: string;
  /** Window of the image the label may touch (clipped to the image); the coverage maps below are over it. */
  x0: number;
  y0: number;
  w: number;
  h: number;
  /** Coverage of the bright strokes (letters and frame) and of a dark tab behind them, 0..1. */
  stroke: Float32Array;
  fill: Float32Array | null;
  strokeLevel: number;
  fillLevel: number;
}

/** Field of view as a rectangle in a frame rotated by `angle` (radians) about the image centre. */
export interface Field {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  angle: number;
  size: number;
}

interface Geometry {
  segs: Seg[];
  halfWidth: number;
  frameSegs: Seg[];
  frameHalfWidth: number;
  tab: [number, number][] | null;
  radius: number;
}

/** Label strokes centred on the origin, unrotated. */
function geometry(shape: LabelShape): Geometry {
  const font = FONTS.get(shape.font)!;
  const { strokes, width } = layoutText(shape.text, font);
  const sc = shape.height / 6;
  const w = width * sc,
    h = shape.height;
  const segs: Seg[] = [];
  for (const line of strokes) {
    for (let i = 0; i + 1 < line.length; i++) {
      segs.push([
        line[i][0] * sc - w / 2,
        line[i][1] * sc - h / 2,
        line[i + 1][0] * sc - w / 2,
        line[i + 1][1] * sc - h / 2,
      ]);
    }
  }
  const halfWidth = Math.max(0.6, ((shape.strokeRatio ?? font.strokeRatio) * h) / 2);
  const pad = h * 0.28 + halfWidth;
  const frameSegs: Seg[] = [];
  const frameHalfWidth = Math.max(0.55, halfWidth * 0.7);
  let tab: [number, number][] | null = null;
  let radius = Math.hypot(w / 2, h / 2) + halfWidth + 1;
  if (shape.style === 'box') {
    const s = Math.max(w, h) / 2 + pad;
    const c: [number, number][] = [
      [-s, -s],
      [s, -s],
      [s, s],
      [-s, s],
    ];
    for (let i = 0; i < 4; i++) frameSegs.push([c[i][0], c[i][1], c[(i + 1) % 4][0], c[(i + 1) % 4][1]]);
    radius = s * Math.SQRT2 + frameHalfWidth + 1;
  } else if (shape.style === 'circle') {
    const r = Math.hypot(w / 2, h / 2) + pad * 0.5;
    const n = 36;
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n,
        b = (2 * Math.PI * (i + 1)) / n;
      frameSegs.push([r * Math.cos(a), r * Math.sin(a), r * Math.cos(b), r * Math.sin(b)]);
    }
    radius = r + frameHalfWidth + 1;
  } else if (shape.style === 'tab') {
    const ex = w / 2 + pad,
      ey = h / 2 + pad;
    tab = [
      [-ex, -ey],
      [ex, -ey],
      [ex, ey],
      [-ex, ey],
    ];
    radius = Math.hypot(ex, ey) + 1;
  }
  return { segs, halfWidth, frameSegs, frameHalfWidth, tab, radius };
}

/** Radius of the circle around the label centre that holds every label pixel. */
export function labelRadius(shape: LabelShape): number {
  return geometry(shape).radius + 1.5;
}

/** Draw a label centred at (cx, cy), rotated by `angle` radians. */
export function drawLabel(
  shape: LabelShape,
  size: number,
  cx: number,
  cy: number,
  angle: number,
  rng: Rng,
  blur: number,
): DrawnLabel {
  const g = geometry(shape);
  const reach = g.radius + 3 + Math.ceil(blur * 3);
  const x0 = Math.max(0, Math.floor(cx - reach)),
    y0 = Math.max(0, Math.floor(cy - reach));
  const w = Math.max(1, Math.min(size, Math.ceil(cx + reach)) - x0),
    h = Math.max(1, Math.min(size, Math.ceil(cy + reach)) - y0);
  const lx = cx - x0,
    ly = cy - y0;
  const cos = Math.cos(angle),
    sin = Math.sin(angle);
  const tr = ([ax, ay, bx, by]: Seg): Seg => [
    lx + cos * ax - sin * ay,
    ly + sin * ax + cos * ay,
    lx + cos * bx - sin * by,
    ly + sin * bx + cos * by,
  ];
  let stroke: Float32Array = new Float32Array(w * h);
  strokeSegments(stroke, w, h, g.segs.map(tr), g.halfWidth);
  strokeSegments(stroke, w, h, g.frameSegs.map(tr), g.frameHalfWidth);
  let fill: Float32Array | null = null;
  if (g.tab) {
    fill = new Float32Array(w * h);
    fillConvex(
      fill,
      w,
      h,
      g.tab.map(([x, y]) => [lx + cos * x - sin * y, ly + sin * x + cos * y] as [number, number]),
    );
  }
  // Lead markers are exposed with the patient, so they share the image's blur; software overlays are crisp.
  if (blur > 0) {
    stroke = gaussianBlur(stroke, w, h, blur);
    if (fill) fill = gaussianBlur(fill, w, h, blur);
  }
  for (const m of fill ? [stroke, fill] : [stroke]) for (let i = 0; i < m.length; i++) if (m[i] < 1 / 512) m[i] = 0;
  return {
    category: shape.category,
    text: shape.text,
    x0,
    y0,
    w,
    h,
    stroke,
    fill,
    strokeLevel: rng.uniform(0.86, 1),
    fillLevel: rng.uniform(0.12, 0.32),
  };
}

/** Blend a label into the image and mark its pixels. */
export function compositeLabel(
  img: Float32Array,
  size: number,
  mask: Uint8Array,
  label: DrawnLabel,
  code: number,
  rng: Rng,
): void {
  for (let y = 0; y < label.h; y++) {
    for (let x = 0; x < label.w; x++) {
      const j = y * label.w + x;
      const f = label.fill ? label.fill[j] : 0;
      const c = label.stroke[j];
      if (f === 0 && c === 0) continue;
      const i = (y + label.y0) * size + x + label.x0;
      let v = img[i] * (1 - f) + label.fillLevel * f;
      v = v * (1 - c) + (label.strokeLevel + rng.normal(0, 0.01)) * c;
      img[i] = v;
      mask[i] = code;
    }
  }
}

/** Tight [x, y, w, h] box of the label's pixels, or null when nothing landed in the image. */
export function labelBox(label: DrawnLabel): [number, number, number, number] | null {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < label.h; y++) {
    for (let x = 0; x < label.w; x++) {
      const i = y * label.w + x;
      if (label.stroke[i] > 0 || (label.fill !== null && label.fill[i] > 0)) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : [x0 + label.x0, y0 + label.y0, x1 - x0 + 1, y1 - y0 + 1];
}

/** Field coordinates (u, v) to image coordinates. */
export function fieldToImage(f: Field, u: number, v: number): [number, number] {
  const c = f.size / 2,
    cos = Math.cos(f.angle),
    sin = Math.sin(f.angle);
  return [c + cos * (u - c) - sin * (v - c), c + sin * (u - c) + cos * (v - c)];
}

/**
 * A centre for a label of radius r inside the field: mostly near a corner or an edge (where technologists put
 * markers), sometimes anywhere (then it may lie over anatomy). Avoids the circles in `taken`.
 */
export function placeLabel(
  f: Field,
  r: number,
  taken: readonly [number, number, number][],
  rng: Rng,
  near?: [number, number, number],
): [number, number] {
  const fits = (u: number, v: number) => u - r >= f.x0 && u + r <= f.x1 && v - r >= f.y0 && v + r <= f.y1;
  const free = (u: number, v: number) => taken.every(([tu, tv, tr]) => Math.hypot(u - tu, v - tv) > r + tr + 1);
  let best: [number, number] = [(f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2];
  for (let attempt = 0; attempt < 40; attempt++) {
    let u: number, v: number;
    const gap = rng.uniform(2, 0.07 * f.size);
    if (near && attempt < 20) {
      const a = rng.pick([0, Math.PI / 2, Math.PI, -Math.PI / 2]) + rng.uniform(-0.3, 0.3);
      u = near[0] + Math.cos(a) * (near[2] + r + 2);
      v = near[1] + Math.sin(a) * (near[2] + r + 2);
    } else if (rng.bool(0.8)) {
      const side = rng.int(0, 3);
      const along = rng.bool(0.6) ? rng.pick([0.0, 1.0]) : rng.next();
      const lo = r + gap;
      if (side === 0) {
        u = f.x0 + lo;
        v = f.y0 + r + along * (f.y1 - f.y0 - 2 * r);
      } else if (side === 1) {
        u = f.x1 - lo;
        v = f.y0 + r + along * (f.y1 - f.y0 - 2 * r);
      } else if (side === 2) {
        v = f.y0 + lo;
        u = f.x0 + r + along * (f.x1 - f.x0 - 2 * r);
      } else {
        v = f.y1 - lo;
        u = f.x0 + r + along * (f.x1 - f.x0 - 2 * r);
      }
    } else {
      u = rng.uniform(f.x0 + r, f.x1 - r);
      v = rng.uniform(f.y0 + r, f.y1 - r);
    }
    if (fits(u, v) && free(u, v)) return [u, v];
    if (attempt === 0) best = [u, v];
  }
  return best;
}

/** A marker holder: a faint plastic strip around a marker, part of the radiograph (not a label). */
export interface Holder {
  /** Half sizes across and along the strip, and the strip centre's offset from the marker along it, in pixels. */
  halfAcross: number;
  halfAlong: number;
  offset: number;
  /** Brightness added inside (a faint plate) or only on its outline (a faint frame). */
  level: number;
  outline: boolean;
  /** A round hole (no plastic) in the strip beyond the marker, radius in pixels (0: none). */
  hole: number;
}

/**
 * Coverage of a holder centred near (cx, cy) and rotated by `angle`, over a window of the image (clipped):
 * window origin and size plus coverage 0..1 (softened by `blur`).
 */
export function drawHolder(
  holder: Holder,
  size: number,
  cx: number,
  cy: number,
  angle: number,
  blur: number,
): { x0: number; y0: number; w: number; h: number; cov: Float32Array } {
  const { halfAcross: a, halfAlong: b, offset } = holder;
  const reach = Math.hypot(a, b) + Math.abs(offset) + 3 + Math.ceil(blur * 3);
  const x0 = Math.max(0, Math.floor(cx - reach)),
    y0 = Math.max(0, Math.floor(cy - reach));
  const w = Math.max(1, Math.min(size, Math.ceil(cx + reach)) - x0),
    h = Math.max(1, Math.min(size, Math.ceil(cy + reach)) - y0);
  const cos = Math.cos(angle),
    sin = Math.sin(angle);
  // the strip runs along the marker's vertical axis
  const pt = (u: number, v: number): [number, number] => [
    cx - x0 + cos * u - sin * (v + offset),
    cy - y0 + sin * u + cos * (v + offset),
  ];
  const corners = [pt(-a, -b), pt(a, -b), pt(a, b), pt(-a, b)];
  let cov: Float32Array = new Float32Array(w * h);
  if (holder.outline) {
    const segs: Seg[] = corners.map((c, i) => [c[0], c[1], corners[(i + 1) % 4][0], corners[(i + 1) % 4][1]]);
    strokeSegments(cov, w, h, segs, Math.max(0.6, 0.06 * a));
  } else fillConvex(cov, w, h, corners);
  if (holder.hole > 0) {
    // the hole sits in the half of the strip away from the marker
    const [hx, hy] = pt(0, (offset >= 0 ? 1 : -1) * Math.max(0, b - holder.hole * 1.6));
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) if (Math.hypot(x + 0.5 - hx, y + 0.5 - hy) < holder.hole) cov[y * w + x] = 0;
  }
  if (blur > 0) cov = gaussianBlur(cov, w, h, blur);
  return { x0, y0, w, h, cov };
}
