/** Fixation hardware (K-wires, a plate and screws, loose screws) as metal coverage near a finding. */
import type { Rng } from '../util/index.js';
import { fillConvex, strokeSegments, type Seg } from './raster.js';
import type { ChainPoint } from './render-geometry.js';
import type { FindingSpec } from './types.js';

/** Attenuation of metal per pixel covered. */
export const MU_METAL = 2.6;

/**
 * Metal coverage of fixation hardware near the finding site. `bent` (the extended marker set's stream, null for the standard phantom) also bends K-wire ends
 * into round hooks and adds close parallel twins, as real K-wires look (the ends of a pair read like letters).
 */
export function drawHardware(
  metal: Float32Array,
  size: number,
  f: FindingSpec,
  at: ChainPoint,
  rng: Rng,
  bent: Rng | null = null,
): void {
  const { x, y, ax, ay, r } = at;
  const px = -ay,
    py = ax;
  const hw = Math.max(0.7, size / 256);
  if (f.hardware === 'kwires') {
    const n = 1 + f.count;
    for (let i = 0; i < n; i++) {
      const a = (rng.bool() ? 1 : -1) * rng.uniform(0.15, 0.5);
      const dx = ax * Math.cos(a) - ay * Math.sin(a),
        dy = ax * Math.sin(a) + ay * Math.cos(a);
      const off = rng.uniform(-0.6, 0.6) * r,
        len = r * rng.uniform(8, 14),
        back = rng.uniform(0.3, 0.6);
      const sx = x + px * off - dx * len * back,
        sy = y + py * off - dy * len * back;
      const ex = sx + dx * len,
        ey = sy + dy * len;
      const hook = r * 0.9,
        hs = rng.bool() ? 1 : -1;
      const segs: Seg[] = [
        [sx, sy, ex, ey],
        [ex, ey, ex + (-dy * hs - dx * 0.4) * hook, ey + (dx * hs - dy * 0.4) * hook],
      ];
      const width = hw * rng.uniform(0.8, 1.2);
      if (bent?.bool(0.7)) {
        // a round hook: a half circle at the end, then a short straight return along the wire
        const rr = hook * bent.uniform(0.3, 0.6),
          back2 = hook * bent.uniform(0.4, 1.6);
        const cx = ex - dy * hs * rr,
          cy = ey + dx * hs * rr;
        segs.length = 1;
        let qx = ex,
          qy = ey;
        for (let k = 1; k <= 10; k++) {
          const t = (Math.PI * k) / 10,
            c = Math.cos(t),
            sn = Math.sin(t);
          // from the end (angle 0) around to the far side of the centre, bulging forward along the wire
          const nx = cx + dy * hs * rr * c + dx * rr * sn,
            ny = cy - dx * hs * rr * c + dy * rr * sn;
          segs.push([qx, qy, nx, ny]);
          qx = nx;
          qy = ny;
        }
        segs.push([qx, qy, qx - dx * back2, qy - dy * back2]);
        if (bent.bool(0.5)) {
          // a close parallel twin (two wires through one fragment)
          const g = bent.uniform(2.5, 5) * width * hs,
            sh = bent.uniform(-0.15, 0.15) * len;
          const twin = segs.map(
            ([a, b, c2, d]): Seg => [
              a - dy * g + dx * sh,
              b + dx * g + dy * sh,
              c2 - dy * g + dx * sh,
              d + dx * g + dy * sh,
            ],
          );
          strokeSegments(metal, size, size, twin, width);
        }
      }
      strokeSegments(metal, size, size, segs, width);
    }
  } else if (f.hardware === 'plate') {
    const half = r * rng.uniform(3, 4.5),
      w = r * 0.55,
      side = r * 0.9;
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
      const dx = px * Math.cos(a) - py * Math.sin(a),
        dy = px * Math.sin(a) + py * Math.cos(a);
      const cx = x + ax * s,
        cy = y + ay * s,
        len = r * 1.4;
      const hx = cx + dx * len,
        hy = cy + dy * len;
      strokeSegments(metal, size, size, [[cx - dx * len, cy - dy * len, hx, hy]], Math.max(0.8, r * 0.16));
      strokeSegments(
        metal,
        size,
        size,
        [[hx - dy * r * 0.35, hy + dx * r * 0.35, hx + dy * r * 0.35, hy - dx * r * 0.35]],
        Math.max(0.8, r * 0.18),
      );
    }
  }
}
