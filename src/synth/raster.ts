/** Small raster primitives on Float32Array images (row-major, width x height). */
import type { Rng } from '../util/index.js';

export type Seg = readonly [number, number, number, number];

/** Distance from (px, py) to segment (ax, ay)-(bx, by). */
export function segDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax,
    dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = px - ax - t * dx,
    ey = py - ay - t * dy;
  return Math.sqrt(ex * ex + ey * ey);
}

/**
 * Stroke segments with round caps into a coverage map (max-combined), anti-aliased by a 1-pixel ramp on the
 * distance to the stroke centre line. Pixel centres are at integer + 0.5.
 */
export function strokeSegments(
  cov: Float32Array,
  width: number,
  height: number,
  segs: readonly Seg[],
  halfWidth: number,
): void {
  if (segs.length === 0) return;
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [ax, ay, bx, by] of segs) {
    x0 = Math.min(x0, ax, bx);
    x1 = Math.max(x1, ax, bx);
    y0 = Math.min(y0, ay, by);
    y1 = Math.max(y1, ay, by);
  }
  const pad = halfWidth + 1.5;
  const xa = Math.max(0, Math.floor(x0 - pad)),
    xb = Math.min(width - 1, Math.ceil(x1 + pad));
  const ya = Math.max(0, Math.floor(y0 - pad)),
    yb = Math.min(height - 1, Math.ceil(y1 + pad));
  for (let y = ya; y <= yb; y++) {
    const py = y + 0.5;
    for (let x = xa; x <= xb; x++) {
      const px = x + 0.5;
      let d = Infinity;
      for (const [ax, ay, bx, by] of segs) {
        const e = segDistance(px, py, ax, ay, bx, by);
        if (e < d) d = e;
      }
      const c = halfWidth + 0.5 - d;
      if (c > 0) {
        const v = c > 1 ? 1 : c;
        const i = y * width + x;
        if (v > cov[i]) cov[i] = v;
      }
    }
  }
}

/** Fill a convex polygon (given clockwise or anticlockwise) into a coverage map with 4x4 supersampling. */
export function fillConvex(
  cov: Float32Array,
  width: number,
  height: number,
  poly: readonly (readonly [number, number])[],
  value = 1,
): void {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const [x, y] of poly) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  const xa = Math.max(0, Math.floor(x0)),
    xb = Math.min(width - 1, Math.ceil(x1));
  const ya = Math.max(0, Math.floor(y0)),
    yb = Math.min(height - 1, Math.ceil(y1));
  const n = poly.length;
  let area = 0;
  for (let i = 0; i < n; i++) {
    const [ax, ay] = poly[i];
    const [bx, by] = poly[(i + 1) % n];
    area += ax * by - bx * ay;
  }
  const sign = area >= 0 ? 1 : -1;
  for (let y = ya; y <= yb; y++) {
    for (let x = xa; x <= xb; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const px = x + (sx + 0.5) / 4,
            py = y + (sy + 0.5) / 4;
          let inside = true;
          for (let i = 0; i < n && inside; i++) {
            const [ax, ay] = poly[i];
            const [bx, by] = poly[(i + 1) % n];
            if (sign * ((bx - ax) * (py - ay) - (by - ay) * (px - ax)) < 0) inside = false;
          }
          if (inside) hits++;
        }
      }
      if (hits > 0) {
        const v = (hits / 16) * value;
        const i = y * width + x;
        if (v > cov[i]) cov[i] = v;
      }
    }
  }
}

/** Separable Gaussian blur, edges clamped. */
export function gaussianBlur(src: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma <= 0.05) return src.slice();
  const r = Math.max(1, Math.ceil(sigma * 3));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
    sum += k[i + r];
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const tmp = new Float32Array(src.length);
  const out = new Float32Array(src.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let j = -r; j <= r; j++) {
        const xx = x + j < 0 ? 0 : x + j >= width ? width - 1 : x + j;
        acc += k[j + r] * src[row + xx];
      }
      tmp[row + x] = acc;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let j = -r; j <= r; j++) {
        const yy = y + j < 0 ? 0 : y + j >= height ? height - 1 : y + j;
        acc += k[j + r] * tmp[yy * width + x];
      }
      out[y * width + x] = acc;
    }
  }
  return out;
}

/** Smooth random field in about [-1, 1]: bilinear value noise summed over octaves (cell sizes in pixels). */
export function valueNoise(width: number, height: number, cells: readonly number[], rng: Rng): Float32Array {
  const out = new Float32Array(width * height);
  let norm = 0;
  cells.forEach((cell, o) => {
    const amp = 1 / (o + 1);
    norm += amp;
    const gw = Math.ceil(width / cell) + 2,
      gh = Math.ceil(height / cell) + 2;
    const grid = new Float32Array(gw * gh);
    for (let i = 0; i < grid.length; i++) grid[i] = rng.next() * 2 - 1;
    for (let y = 0; y < height; y++) {
      const gy = y / cell,
        iy = Math.floor(gy),
        fy = gy - iy;
      const sy = fy * fy * (3 - 2 * fy);
      for (let x = 0; x < width; x++) {
        const gx = x / cell,
          ix = Math.floor(gx),
          fx = gx - ix;
        const sx = fx * fx * (3 - 2 * fx);
        const a = grid[iy * gw + ix],
          b = grid[iy * gw + ix + 1];
        const c = grid[(iy + 1) * gw + ix],
          d = grid[(iy + 1) * gw + ix + 1];
        out[y * width + x] += amp * (a + (b - a) * sx + (c + (d - c) * sx - (a + (b - a) * sx)) * sy);
      }
    }
  });
  for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}
