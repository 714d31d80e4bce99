/** The phantom's geometry: the pose transform, bones placed in image pixels, projected path lengths through them. */
import type { Rng } from '../util/index.js';
import type { Bone, Knot } from './anatomy.js';

export interface Placed {
  bone: Bone;
  knots: Knot[];
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  angle: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Canonical field -> image pixels: mirror for the right side, rotate, scale, shift. */
export function makeTransform(size: number, rng: Rng, mirror: boolean) {
  const theta = Math.max(-0.35, Math.min(0.35, rng.normal(0, 0.14)));
  const sc = size * rng.uniform(0.82, 1.08);
  const ox = rng.uniform(-0.06, 0.06) * size,
    oy = rng.uniform(-0.06, 0.06) * size;
  const cos = Math.cos(theta),
    sin = Math.sin(theta);
  const pt = (x: number, y: number): [number, number] => {
    const dx = (mirror ? 1 - x : x) - 0.5,
      dy = y - 0.5;
    return [size / 2 + ox + sc * (cos * dx - sin * dy), size / 2 + oy + sc * (sin * dx + cos * dy)];
  };
  return { pt, sc, theta, mirror };
}

export type Transform = ReturnType<typeof makeTransform>;

export function place(bone: Bone, tf: Transform): Placed {
  if (bone.kind === 'tube') {
    const knots = bone.knots.map(([x, y, r]) => {
      const [X, Y] = tf.pt(x, y);
      return [X, Y, r * tf.sc] as Knot;
    });
    let x0 = Infinity,
      y0 = Infinity,
      x1 = -Infinity,
      y1 = -Infinity;
    for (const [x, y, r] of knots) {
      x0 = Math.min(x0, x - r);
      x1 = Math.max(x1, x + r);
      y0 = Math.min(y0, y - r);
      y1 = Math.max(y1, y + r);
    }
    return { bone, knots, cx: 0, cy: 0, rx: 0, ry: 0, angle: 0, x0, y0, x1, y1 };
  }
  const [cx, cy] = tf.pt(bone.cx, bone.cy);
  const angle = ((tf.mirror ? -bone.angle : bone.angle) * Math.PI) / 180 + tf.theta;
  const rx = bone.rx * tf.sc,
    ry = bone.ry * tf.sc,
    m = Math.max(rx, ry);
  return { bone, knots: [], cx, cy, rx, ry, angle, x0: cx - m, y0: cy - m, x1: cx + m, y1: cy + m };
}

/** Projected path length through a hollow tube chain at (px, py): [cortical path, medullary path] of the deepest segment. */
export function tubePaths(knots: Knot[], cortex: number, px: number, py: number, out: [number, number]): boolean {
  let best = 0;
  out[0] = 0;
  out[1] = 0;
  for (let i = 0; i + 1 < knots.length; i++) {
    const [ax, ay, ar] = knots[i],
      [bx, by, br] = knots[i + 1];
    const dx = bx - ax,
      dy = by - ay,
      len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = px - ax - t * dx,
      ey = py - ay - t * dy;
    const d2 = ex * ex + ey * ey,
      r = ar + (br - ar) * t;
    if (d2 >= r * r) continue;
    const outer = 2 * Math.sqrt(r * r - d2);
    const ri = r * (1 - cortex);
    const inner = d2 < ri * ri ? 2 * Math.sqrt(ri * ri - d2) : 0;
    const v = outer * 1.0 + inner * 0.0001;
    if (v > best) {
      best = v;
      out[0] = outer - inner;
      out[1] = inner;
    }
  }
  return best > 0;
}

export function blobPaths(p: Placed, cortex: number, px: number, py: number, out: [number, number]): boolean {
  const cos = Math.cos(p.angle),
    sin = Math.sin(p.angle);
  const u = ((px - p.cx) * cos + (py - p.cy) * sin) / p.rx,
    v = (-(px - p.cx) * sin + (py - p.cy) * cos) / p.ry;
  const q = u * u + v * v;
  if (q >= 1) return false;
  const depth = Math.min(p.rx, p.ry) * 0.7;
  const outer = 2 * depth * Math.sqrt(1 - q);
  const k = 1 - cortex,
    qi = q / (k * k);
  const inner = qi < 1 ? 2 * depth * k * Math.sqrt(1 - qi) : 0;
  out[0] = outer - inner;
  out[1] = inner;
  return true;
}

/** Point, axis direction and radius at fraction t of a tube chain's length. */
export function alongChain(knots: Knot[], t: number): { x: number; y: number; ax: number; ay: number; r: number } {
  const lens = knots.slice(1).map((k, i) => Math.hypot(k[0] - knots[i][0], k[1] - knots[i][1]));
  let target = t * lens.reduce((a, b) => a + b, 0);
  for (let i = 0; i < lens.length; i++) {
    if (target <= lens[i] || i === lens.length - 1) {
      const f = lens[i] > 0 ? Math.min(1, target / lens[i]) : 0;
      const [ax, ay, ar] = knots[i],
        [bx, by, br] = knots[i + 1];
      return {
        x: ax + (bx - ax) * f,
        y: ay + (by - ay) * f,
        ax: (bx - ax) / (lens[i] || 1),
        ay: (by - ay) / (lens[i] || 1),
        r: ar + (br - ar) * f,
      };
    }
    target -= lens[i];
  }
  throw new Error('alongChain: empty chain');
}

export type ChainPoint = ReturnType<typeof alongChain>;
