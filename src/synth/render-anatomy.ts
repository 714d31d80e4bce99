/** The phantom's anatomy as an attenuation map: soft tissue, then bones with the finding (fracture, lesion) in them. */
import type { Rng } from '../util/index.js';
import type { PartModel } from './anatomy.js';
import { valueNoise } from './raster.js';
import { alongChain, blobPaths, place, tubePaths, type ChainPoint, type Transform } from './render-geometry.js';
import type { Knot } from './anatomy.js';
import type { FindingSpec } from './types.js';

/** Attenuation per field unit of projected path: cortical bone, medullary bone, soft tissue. */
const MU_CORTEX = 11,
  MU_MEDULLA = 2.6,
  MU_SOFT = 1.3;

/** Soft tissue: union of solid tubes (max of path lengths, not sum), as attenuation. */
export function softTissue(model: PartModel, tf: Transform, size: number): Float32Array {
  const unit = 1 / size; // projected paths are in pixels; densities are per field unit
  const mu = new Float32Array(size * size);
  const soft = new Float32Array(size * size);
  const tmp: [number, number] = [0, 0];
  for (const chain of model.soft) {
    const knots = chain.map(([x, y, r]) => {
      const [X, Y] = tf.pt(x, y);
      return [X, Y, r * tf.sc] as Knot;
    });
    let xa = size,
      xb = 0,
      ya = size,
      yb = 0;
    for (const [X, Y, R] of knots) {
      xa = Math.min(xa, Math.floor(X - R));
      xb = Math.max(xb, Math.ceil(X + R));
      ya = Math.min(ya, Math.floor(Y - R));
      yb = Math.max(yb, Math.ceil(Y + R));
    }
    xa = Math.max(0, xa);
    ya = Math.max(0, ya);
    xb = Math.min(size - 1, xb);
    yb = Math.min(size - 1, yb);
    for (let y = ya; y <= yb; y++)
      for (let x = xa; x <= xb; x++) {
        if (tubePaths(knots, 1, x + 0.5, y + 0.5, tmp)) {
          const i = y * size + x;
          const v = tmp[0];
          if (v > soft[i]) soft[i] = v;
        }
      }
  }
  for (let i = 0; i < mu.length; i++) mu[i] = soft[i] * unit * MU_SOFT * (0.95 + 0.05 * Math.sin(i));
  return mu;
}

/**
 * Bones, each summed (overlaps look denser, as on film); trabecular texture modulates the medulla. Adds to `mu`
 * and returns the finding's site on its bone (where hardware goes), if any.
 */
export function addBones(
  mu: Float32Array,
  model: PartModel,
  tf: Transform,
  size: number,
  f: FindingSpec | null,
  rng: Rng,
): ChainPoint | undefined {
  const unit = 1 / size;
  const tmp: [number, number] = [0, 0];
  const tex = valueNoise(size, size, [Math.max(1.5, size / 128), Math.max(2, size / 48)], rng.fork('texture'));
  const placed = model.bones.map((b) => place(b, tf));
  const primary = placed.filter((p) => p.bone.primary && p.bone.kind === 'tube');
  const target = f ? primary[Math.min(primary.length - 1, Math.floor(f.boneU * primary.length))] : undefined;
  const site = target ? alongChain(target.knots, f!.t) : undefined;
  const s256 = size / 256;
  const frac =
    f && site && (f.kind === 'fracture' || (f.kind === 'hardware' && f.withFracture))
      ? (() => {
          const a = (f.angle * Math.PI) / 180;
          const nx = site.ax * Math.cos(a) - site.ay * Math.sin(a),
            ny = site.ax * Math.sin(a) + site.ay * Math.cos(a);
          const disp = f.strength * rng.uniform(0.7, 1.5) * 11 * s256 * (rng.bool() ? 1 : -1);
          return {
            nx,
            ny,
            dx: -site.ay * disp - site.ax * disp * 0.3,
            dy: site.ax * disp - site.ay * disp * 0.3,
            w: Math.max(0.7, (1.2 + 4.5 * f.strength) * s256),
            depth: Math.min(0.95, 0.35 + 0.65 * f.strength),
            phase: rng.uniform(0, 6),
          };
        })()
      : null;
  for (const p of placed) {
    const isTarget = p === target;
    const xa = Math.max(0, Math.floor(p.x0 - 4)),
      xb = Math.min(size - 1, Math.ceil(p.x1 + 4));
    const ya = Math.max(0, Math.floor(p.y0 - 4)),
      yb = Math.min(size - 1, Math.ceil(p.y1 + 4));
    const density = p.bone.density;
    for (let y = ya; y <= yb; y++)
      for (let x = xa; x <= xb; x++) {
        let qx = x + 0.5,
          qy = y + 0.5;
        let s = 0;
        if (isTarget && frac && site) {
          s = (qx - site.x) * frac.nx + (qy - site.y) * frac.ny;
          const along = -(qx - site.x) * frac.ny + (qy - site.y) * frac.nx;
          s += 0.6 * s256 * Math.sin((along * 0.8) / s256 + frac.phase);
          if (s > 0) {
            qx -= frac.dx;
            qy -= frac.dy;
          }
        }
        const hit =
          p.bone.kind === 'tube'
            ? tubePaths(p.knots, p.bone.cortex, qx, qy, tmp)
            : blobPaths(p, p.bone.cortex, qx, qy, tmp);
        if (!hit) continue;
        const i = y * size + x;
        let v = (tmp[0] * MU_CORTEX + tmp[1] * MU_MEDULLA * (1 + 0.6 * tex[i])) * unit * density;
        if (isTarget && f && site) {
          if (frac && Math.abs(s) < frac.w) v *= 1 - frac.depth * (1 - Math.abs(s) / frac.w);
          if (f.kind === 'lesion') {
            const ox = qx - (site.x - site.ay * f.offset * site.r),
              oy = qy - (site.y + site.ax * f.offset * site.r);
            const A = site.r * f.lesionSize * 1.5,
              B = site.r * f.lesionSize * 0.75;
            const q = ((ox * site.ax + oy * site.ay) / A) ** 2 + ((-ox * site.ay + oy * site.ax) / B) ** 2;
            if (q < 1) v *= 1 - Math.min(0.95, 0.35 + 0.6 * f.strength) * Math.min(1, 1.6 * Math.sqrt(1 - q));
            else if (q < 1.5) v *= 1 + 0.25 * f.strength * (1.5 - q) * 2;
          }
        }
        mu[i] += v;
      }
  }
  return site;
}
