/**
 * Pixels of one synthetic radiograph. Anatomy is turned into an attenuation map (projected thickness times
 * density), findings and hardware modify it, then exposure, collimation, blur and noise make the image, and
 * burned-in labels are blended on top with their exact pixel mask.
 */
import { Rng } from '../util/rng.js';
import type { GrayImage } from '../data/image.js';
import { partModel, type Bone, type Knot, type Part } from './anatomy.js';
import { compositeLabel, drawHolder, drawLabel, fieldToImage, labelBox, labelRadius, placeLabel, type Field, type Holder, type LabelShape, type SynthLabelCategory } from './labels.js';
import { fillConvex, gaussianBlur, strokeSegments, valueNoise, type Seg } from './raster.js';
import type { FindingSpec, MarkerStyle, MarkerStyleSet, Technologist } from './types.js';
import type { FontName } from './fonts.js';

/** Attenuation per field unit of projected path: cortical bone, medullary bone, soft tissue; metal per pixel covered. */
const MU_CORTEX = 11, MU_MEDULLA = 2.6, MU_SOFT = 1.3, MU_METAL = 2.6;

export interface RenderSpec {
  part: Part;
  view: 'ap' | 'lateral';
  laterality: 'L' | 'R';
  finding: FindingSpec | null;
  technologist: Pick<Technologist, 'initials' | 'font'>;
  markerStyle: MarkerStyle;
  markerFont: FontName;
  size: number;
  seed: number;
  /** false: no burned-in labels. */
  labels?: boolean;
  /** 'extended': bold markers and faint holders too, drawn from a random stream of their own (absent: standard). */
  markerStyles?: MarkerStyleSet;
}

export interface RenderedLabel { category: SynthLabelCategory; text: string; bbox: [number, number, number, number] }

export interface RenderedImage {
  image: GrayImage;
  /** Per pixel: 0 no label, 1 laterality marker, 2 technologist initials. Exactly the pixels labels changed. */
  labelMask: Uint8Array;
  labels: RenderedLabel[];
  /** The same radiograph without its labels (ground truth for label removal). */
  clean: GrayImage;
}

export const LABEL_CODES: Record<SynthLabelCategory, number> = { laterality: 1, technologist: 2 };

interface Placed { bone: Bone; knots: Knot[]; cx: number; cy: number; rx: number; ry: number; angle: number; x0: number; y0: number; x1: number; y1: number }

/** Canonical field -> image pixels: mirror for the right side, rotate, scale, shift. */
function makeTransform(size: number, rng: Rng, mirror: boolean) {
  const theta = Math.max(-0.35, Math.min(0.35, rng.normal(0, 0.14)));
  const sc = size * rng.uniform(0.82, 1.08);
  const ox = rng.uniform(-0.06, 0.06) * size, oy = rng.uniform(-0.06, 0.06) * size;
  const cos = Math.cos(theta), sin = Math.sin(theta);
  const pt = (x: number, y: number): [number, number] => {
    const dx = (mirror ? 1 - x : x) - 0.5, dy = y - 0.5;
    return [size / 2 + ox + sc * (cos * dx - sin * dy), size / 2 + oy + sc * (sin * dx + cos * dy)];
  };
  return { pt, sc, theta, mirror };
}

function place(bone: Bone, tf: ReturnType<typeof makeTransform>): Placed {
  if (bone.kind === 'tube') {
    const knots = bone.knots.map(([x, y, r]) => { const [X, Y] = tf.pt(x, y); return [X, Y, r * tf.sc] as Knot; });
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [x, y, r] of knots) { x0 = Math.min(x0, x - r); x1 = Math.max(x1, x + r); y0 = Math.min(y0, y - r); y1 = Math.max(y1, y + r); }
    return { bone, knots, cx: 0, cy: 0, rx: 0, ry: 0, angle: 0, x0, y0, x1, y1 };
  }
  const [cx, cy] = tf.pt(bone.cx, bone.cy);
  const angle = ((tf.mirror ? -bone.angle : bone.angle) * Math.PI) / 180 + tf.theta;
  const rx = bone.rx * tf.sc, ry = bone.ry * tf.sc, m = Math.max(rx, ry);
  return { bone, knots: [], cx, cy, rx, ry, angle, x0: cx - m, y0: cy - m, x1: cx + m, y1: cy + m };
}

/** Projected path length through a hollow tube chain at (px, py): [cortical path, medullary path] of the deepest segment. */
function tubePaths(knots: Knot[], cortex: number, px: number, py: number, out: [number, number]): boolean {
  let best = 0; out[0] = 0; out[1] = 0;
  for (let i = 0; i + 1 < knots.length; i++) {
    const [ax, ay, ar] = knots[i], [bx, by, br] = knots[i + 1];
    const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = px - ax - t * dx, ey = py - ay - t * dy;
    const d2 = ex * ex + ey * ey, r = ar + (br - ar) * t;
    if (d2 >= r * r) continue;
    const outer = 2 * Math.sqrt(r * r - d2);
    const ri = r * (1 - cortex);
    const inner = d2 < ri * ri ? 2 * Math.sqrt(ri * ri - d2) : 0;
    const v = outer * 1.0 + inner * 0.0001;
    if (v > best) { best = v; out[0] = outer - inner; out[1] = inner; }
  }
  return best > 0;
}

function blobPaths(p: Placed, cortex: number, px: number, py: number, out: [number, number]): boolean {
  const cos = Math.cos(p.angle), sin = Math.sin(p.angle);
  const u = ((px - p.cx) * cos + (py - p.cy) * sin) / p.rx, v = (-(px - p.cx) * sin + (py - p.cy) * cos) / p.ry;
  const q = u * u + v * v;
  if (q >= 1) return false;
  const depth = Math.min(p.rx, p.ry) * 0.7;
  const outer = 2 * depth * Math.sqrt(1 - q);
  const k = 1 - cortex, qi = q / (k * k);
  const inner = qi < 1 ? 2 * depth * k * Math.sqrt(1 - qi) : 0;
  out[0] = outer - inner; out[1] = inner;
  return true;
}

/** Point, axis direction and radius at fraction t of a tube chain's length. */
function alongChain(knots: Knot[], t: number): { x: number; y: number; ax: number; ay: number; r: number } {
  const lens = knots.slice(1).map((k, i) => Math.hypot(k[0] - knots[i][0], k[1] - knots[i][1]));
  let target = t * lens.reduce((a, b) => a + b, 0);
  for (let i = 0; i < lens.length; i++) {
    if (target <= lens[i] || i === lens.length - 1) {
      const f = lens[i] > 0 ? Math.min(1, target / lens[i]) : 0;
      const [ax, ay, ar] = knots[i], [bx, by, br] = knots[i + 1];
      return { x: ax + (bx - ax) * f, y: ay + (by - ay) * f, ax: (bx - ax) / (lens[i] || 1), ay: (by - ay) / (lens[i] || 1), r: ar + (br - ar) * f };
    }
    target -= lens[i];
  }
  throw new Error('alongChain: empty chain');
}

/**
 * Metal coverage of fixation hardware near the finding site. `bent` (the extended marker set's stream, null for the standard phantom) also bends K-wire ends
 * into round hooks and adds close parallel twins, as real K-wires look (the ends of a pair read like letters).
 */
function drawHardware(metal: Float32Array, size: number, f: FindingSpec, at: ReturnType<typeof alongChain>, rng: Rng, bent: Rng | null = null): void {
  const { x, y, ax, ay, r } = at;
  const px = -ay, py = ax;
  const hw = Math.max(0.7, size / 256);
  if (f.hardware === 'kwires') {
    const n = 1 + f.count;
    for (let i = 0; i < n; i++) {
      const a = (rng.bool() ? 1 : -1) * rng.uniform(0.15, 0.5);
      const dx = ax * Math.cos(a) - ay * Math.sin(a), dy = ax * Math.sin(a) + ay * Math.cos(a);
      const off = rng.uniform(-0.6, 0.6) * r, len = r * rng.uniform(8, 14), back = rng.uniform(0.3, 0.6);
      const sx = x + px * off - dx * len * back, sy = y + py * off - dy * len * back;
      const ex = sx + dx * len, ey = sy + dy * len;
      const hook = r * 0.9, hs = rng.bool() ? 1 : -1;
      const segs: Seg[] = [[sx, sy, ex, ey], [ex, ey, ex + (-dy * hs - dx * 0.4) * hook, ey + (dx * hs - dy * 0.4) * hook]];
      const width = hw * rng.uniform(0.8, 1.2);
      if (bent && bent.bool(0.7)) {
        // a round hook: a half circle at the end, then a short straight return along the wire
        const rr = hook * bent.uniform(0.3, 0.6), back2 = hook * bent.uniform(0.4, 1.6);
        const cx = ex - dy * hs * rr, cy = ey + dx * hs * rr;
        segs.length = 1;
        let qx = ex, qy = ey;
        for (let k = 1; k <= 10; k++) {
          const t = (Math.PI * k) / 10, c = Math.cos(t), sn = Math.sin(t);
          // from the end (angle 0) around to the far side of the centre, bulging forward along the wire
          const nx = cx + dy * hs * rr * c + dx * rr * sn, ny = cy - dx * hs * rr * c + dy * rr * sn;
          segs.push([qx, qy, nx, ny]); qx = nx; qy = ny;
        }
        segs.push([qx, qy, qx - dx * back2, qy - dy * back2]);
        if (bent.bool(0.5)) {
          // a close parallel twin (two wires through one fragment)
          const g = bent.uniform(2.5, 5) * width * hs, sh = bent.uniform(-0.15, 0.15) * len;
          const twin = segs.map(([a, b, c2, d]): Seg => [a - dy * g + dx * sh, b + dx * g + dy * sh, c2 - dy * g + dx * sh, d + dx * g + dy * sh]);
          strokeSegments(metal, size, size, twin, width);
        }
      }
      strokeSegments(metal, size, size, segs, width);
    }
  } else if (f.hardware === 'plate') {
    const half = r * rng.uniform(3, 4.5), w = r * 0.55, side = r * 0.9;
    const c = (s: number, t: number): [number, number] => [x + ax * s + px * (side + t), y + ay * s + py * (side + t)];
    const plate = new Float32Array(size * size);
    fillConvex(plate, size, size, [c(-half, -w), c(half, -w), c(half, w), c(-half, w)], 0.75);
    for (let i = 0; i < metal.length; i++) if (plate[i] > metal[i]) metal[i] = plate[i];
    const screws = 3 + f.count;
    for (let i = 0; i < screws; i++) {
      const s = -half * 0.85 + (1.7 * half * i) / (screws - 1);
      const [hx, hy] = c(s, w * 1.4);
      const [tx, ty] = c(s, -2.3 * r - side);
      strokeSegments(metal, size, size, [[hx, hy, tx, ty]], Math.max(0.8, r * 0.14));
    }
  } else {
    for (let i = 0; i < f.count; i++) {
      const s = (i - (f.count - 1) / 2) * r * 1.6;
      const a = rng.uniform(-0.5, 0.5);
      const dx = px * Math.cos(a) - py * Math.sin(a), dy = px * Math.sin(a) + py * Math.cos(a);
      const cx = x + ax * s, cy = y + ay * s, len = r * 1.4;
      const hx = cx + dx * len, hy = cy + dy * len;
      strokeSegments(metal, size, size, [[cx - dx * len, cy - dy * len, hx, hy]], Math.max(0.8, r * 0.16));
      strokeSegments(metal, size, size, [[hx - dy * r * 0.35, hy + dx * r * 0.35, hx + dy * r * 0.35, hy - dx * r * 0.35]], Math.max(0.8, r * 0.18));
    }
  }
}

/** Render one radiograph. Deterministic in the spec (the seed included). */
export function renderImage(spec: RenderSpec): RenderedImage {
  const { size } = spec;
  const rng = new Rng(spec.seed);
  const model = partModel(spec.part, spec.view, rng.fork('anatomy'));
  const tf = makeTransform(size, rng.fork('pose'), spec.laterality === 'R');
  const unit = 1 / size; // projected paths are in pixels; densities are per field unit
  const mu = new Float32Array(size * size);

  // Soft tissue: union of solid tubes (max of path lengths, not sum).
  const soft = new Float32Array(size * size);
  const tmp: [number, number] = [0, 0];
  for (const chain of model.soft) {
    const knots = chain.map(([x, y, r]) => { const [X, Y] = tf.pt(x, y); return [X, Y, r * tf.sc] as Knot; });
    let xa = size, xb = 0, ya = size, yb = 0;
    for (const [X, Y, R] of knots) {
      xa = Math.min(xa, Math.floor(X - R)); xb = Math.max(xb, Math.ceil(X + R));
      ya = Math.min(ya, Math.floor(Y - R)); yb = Math.max(yb, Math.ceil(Y + R));
    }
    xa = Math.max(0, xa); ya = Math.max(0, ya); xb = Math.min(size - 1, xb); yb = Math.min(size - 1, yb);
    for (let y = ya; y <= yb; y++) for (let x = xa; x <= xb; x++) {
      if (tubePaths(knots, 1, x + 0.5, y + 0.5, tmp)) { const i = y * size + x; const v = tmp[0]; if (v > soft[i]) soft[i] = v; }
    }
  }
  for (let i = 0; i < mu.length; i++) mu[i] = soft[i] * unit * MU_SOFT * (0.95 + 0.05 * Math.sin(i));

  // Bones, each summed (overlaps look denser, as on film); trabecular texture modulates the medulla.
  const tex = valueNoise(size, size, [Math.max(1.5, size / 128), Math.max(2, size / 48)], rng.fork('texture'));
  const placed = model.bones.map((b) => place(b, tf));
  const primary = placed.filter((p) => p.bone.primary && p.bone.kind === 'tube');
  const f = spec.finding;
  const target = f ? primary[Math.min(primary.length - 1, Math.floor(f.boneU * primary.length))] : undefined;
  const site = target ? alongChain(target.knots, f!.t) : undefined;
  const s256 = size / 256;
  const frac = f && site && (f.kind === 'fracture' || (f.kind === 'hardware' && f.withFracture)) ? (() => {
    const a = (f.angle * Math.PI) / 180;
    const nx = site.ax * Math.cos(a) - site.ay * Math.sin(a), ny = site.ax * Math.sin(a) + site.ay * Math.cos(a);
    const disp = f.strength * rng.uniform(0.7, 1.5) * 11 * s256 * (rng.bool() ? 1 : -1);
    return { nx, ny, dx: -site.ay * disp - site.ax * disp * 0.3, dy: site.ax * disp - site.ay * disp * 0.3, w: Math.max(0.7, (1.2 + 4.5 * f.strength) * s256), depth: Math.min(0.95, 0.35 + 0.65 * f.strength), phase: rng.uniform(0, 6) };
  })() : null;
  for (const p of placed) {
    const isTarget = p === target;
    const xa = Math.max(0, Math.floor(p.x0 - 4)), xb = Math.min(size - 1, Math.ceil(p.x1 + 4));
    const ya = Math.max(0, Math.floor(p.y0 - 4)), yb = Math.min(size - 1, Math.ceil(p.y1 + 4));
    const density = p.bone.density;
    for (let y = ya; y <= yb; y++) for (let x = xa; x <= xb; x++) {
      let qx = x + 0.5, qy = y + 0.5;
      let s = 0;
      if (isTarget && frac && site) {
        s = (qx - site.x) * frac.nx + (qy - site.y) * frac.ny;
        const along = -(qx - site.x) * frac.ny + (qy - site.y) * frac.nx;
        s += 0.6 * s256 * Math.sin(along * 0.8 / s256 + frac.phase);
        if (s > 0) { qx -= frac.dx; qy -= frac.dy; }
      }
      const hit = p.bone.kind === 'tube' ? tubePaths(p.knots, p.bone.cortex, qx, qy, tmp) : blobPaths(p, p.bone.cortex, qx, qy, tmp);
      if (!hit) continue;
      const i = y * size + x;
      let v = (tmp[0] * MU_CORTEX + tmp[1] * MU_MEDULLA * (1 + 0.6 * tex[i])) * unit * density;
      if (isTarget && f && site) {
        if (frac && Math.abs(s) < frac.w) v *= 1 - frac.depth * (1 - Math.abs(s) / frac.w);
        if (f.kind === 'lesion') {
          const ox = qx - (site.x - site.ay * f.offset * site.r), oy = qy - (site.y + site.ax * f.offset * site.r);
          const A = site.r * f.lesionSize * 1.5, B = site.r * f.lesionSize * 0.75;
          const q = ((ox * site.ax + oy * site.ay) / A) ** 2 + ((-ox * site.ay + oy * site.ax) / B) ** 2;
          if (q < 1) v *= 1 - Math.min(0.95, 0.35 + 0.6 * f.strength) * Math.min(1, 1.6 * Math.sqrt(1 - q));
          else if (q < 1.5) v *= 1 + 0.25 * f.strength * (1.5 - q) * 2;
        }
      }
      mu[i] += v;
    }
  }
  if (f && f.kind === 'hardware' && site) {
    const metal = new Float32Array(size * size);
    drawHardware(metal, size, f, site, rng.fork('hardware'), spec.markerStyles === 'extended' ? rng.fork('hardware-extended') : null);
    for (let i = 0; i < mu.length; i++) mu[i] += metal[i] * MU_METAL;
  }

  // Exposure: 1 - exp(-gain * mu) over a background level, then contrast (gamma) and the heel effect.
  const er = rng.fork('exposure');
  const gain = er.uniform(0.7, 1.1), bg = er.uniform(0.03, 0.14), gamma = er.uniform(0.75, 1.3);
  const heel = er.uniform(-0.08, 0.08), heelAngle = er.uniform(0, 2 * Math.PI);
  const img = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const i = y * size + x;
    const v = bg + (1 - bg) * (1 - Math.exp(-gain * mu[i]));
    const h = 1 + heel * (((x / size - 0.5) * Math.cos(heelAngle)) + ((y / size - 0.5) * Math.sin(heelAngle)));
    img[i] = Math.pow(Math.min(1, v * h), gamma);
  }

  // Collimation: outside a (slightly rotated) field the image is shuttered dark or processed bright.
  const cr = rng.fork('collimation');
  const m = () => (cr.bool(0.55) ? cr.uniform(0.02, 0.14) * size : 0);
  const field: Field = { x0: m(), y0: m(), x1: size - m(), y1: size - m(), angle: tf.theta * 0.4 + cr.normal(0, 0.03), size };
  const outside = cr.bool(0.55) ? cr.uniform(0.01, 0.08) : cr.uniform(0.8, 0.95);
  const fc = Math.cos(-field.angle), fs = Math.sin(-field.angle), c0 = size / 2;
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
    const u = c0 + fc * (x + 0.5 - c0) - fs * (y + 0.5 - c0), v = c0 + fs * (x + 0.5 - c0) + fc * (y + 0.5 - c0);
    const d = Math.min(u - field.x0, field.x1 - u, v - field.y0, field.y1 - v);
    if (d < 0.5) { const a = Math.min(1, 0.5 - d); const i = y * size + x; img[i] = img[i] * (1 - a) + outside * a; }
  }

  // Detector blur, then quantum noise that grows with signal.
  const nr = rng.fork('noise');
  const sigma = nr.uniform(0.35, 0.9) * s256;
  const blurred = gaussianBlur(img, size, size, sigma);
  const noise = nr.uniform(0.006, 0.02);
  for (let i = 0; i < blurred.length; i++) blurred[i] += nr.normal(0, noise * (0.4 + blurred[i]));

  const clean = blurred.slice();
  // Labels: laterality marker first, then technologist initials (often beside the marker).
  const lr = rng.fork('labels');
  const labelMask = new Uint8Array(size * size);
  const labels: RenderedLabel[] = [];
  const lead = lr.bool(0.6) ? sigma * 0.8 : 0;
  const shapes: LabelShape[] = [
    { category: 'laterality', text: spec.laterality, font: spec.markerFont, style: spec.markerStyle, height: size * lr.uniform(0.09, 0.14) },
    { category: 'technologist', text: spec.technologist.initials, font: spec.technologist.font, style: 'plain', height: size * lr.uniform(0.075, 0.1) },
  ];
  // The extended set draws from its own stream (a fork does not advance `rng`), so standard images are unchanged.
  let holder: Holder | null = null;
  if (spec.markerStyles === 'extended') {
    const ext = rng.fork('marker-extended');
    // smaller letters than the standard set's (a real marker can be 5 % of the image side; initials too)
    if (ext.bool(0.4)) shapes[0] = { ...shapes[0], height: size * ext.uniform(0.05, 0.09) };
    if (ext.bool(0.3)) shapes[1] = { ...shapes[1], height: size * ext.uniform(0.05, 0.075) };
    const m = shapes[0];
    // bold lead letters: strokes of a quarter to a third of the letter height (a real "L" in a holder), often unframed
    if (ext.bool(0.45)) shapes[0] = { ...m, strokeRatio: ext.uniform(0.22, 0.34), style: ext.bool(0.6) ? 'plain' : m.style };
    if (ext.bool(0.5)) {
      const hh = shapes[0].height, a = hh * ext.uniform(0.55, 0.95), b = a * ext.uniform(1, 2.8);
      holder = {
        halfAcross: a, halfAlong: b, offset: ext.uniform(-1, 1) * Math.max(0, b - hh * 0.6), level: ext.uniform(0.025, 0.12),
        outline: ext.bool(0.3), hole: ext.bool(0.4) ? a * ext.uniform(0.2, 0.35) : 0,
      };
    }
  }
  const taken: [number, number, number][] = [];
  const baseAngle = field.angle + (lr.bool(0.1) ? lr.pick([-1, 1]) * Math.PI / 2 : 0);
  if (spec.labels !== false) shapes.forEach((shape, k) => {
    const r = labelRadius(shape);
    const near = k === 1 && lr.bool(0.6) ? taken[0] : undefined;
    const [u, v] = placeLabel(field, r, taken, lr, near);
    taken.push([u, v, r]);
    const [cx, cy] = fieldToImage(field, u, v);
    const jitter = lr.bool(0.7) ? lr.normal(0, 0.08) : lr.uniform(-0.45, 0.45);
    if (k === 0 && holder) {
      // the holder is part of the radiograph (plastic), under the marker: in the clean image too, not in the mask
      const hd = drawHolder(holder, size, cx, cy, baseAngle + jitter, sigma);
      for (let y = 0; y < hd.h; y++) for (let x = 0; x < hd.w; x++) {
        const c = hd.cov[y * hd.w + x];
        if (c === 0) continue;
        const i = (y + hd.y0) * size + x + hd.x0;
        blurred[i] += holder.level * c;
        clean[i] += holder.level * c;
      }
    }
    const drawn = drawLabel(shape, size, cx, cy, baseAngle + jitter, lr, lead);
    const box = labelBox(drawn);
    if (!box) return;
    compositeLabel(blurred, size, labelMask, drawn, LABEL_CODES[shape.category], lr);
    labels.push({ category: shape.category, text: shape.text, bbox: box });
  });
  for (const a of [blurred, clean]) for (let i = 0; i < a.length; i++) a[i] = a[i] < 0 ? 0 : a[i] > 1 ? 1 : a[i];
  return { image: { width: size, height: size, data: blurred, bits: 8 }, labelMask, labels, clean: { width: size, height: size, data: clean, bits: 8 } };
}
