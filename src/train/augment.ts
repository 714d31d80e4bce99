import type { Rng } from '../util/index.js';

export interface AugmentOptions {
  /** Probability of a horizontal flip. */
  flip: number;
  /** Largest rotation in degrees, drawn uniformly from [-maxRotation, maxRotation]. */
  maxRotation: number;
}

/** MURA's recipe: random horizontal flips and rotations up to 30 degrees. */
export const MURA_AUGMENT: AugmentOptions = { flip: 0.5, maxRotation: 30 };

/**
 * Flip and rotate one size x size image (bilinear, zero fill) into `out`.
 * The draws come from `rng`, so a seeded generator per (epoch, image) makes a run repeatable and resumable.
 */
export function augmentInto(
  src: Float32Array,
  size: number,
  rng: Rng,
  opts: AugmentOptions,
  out: Float32Array,
  fill = 0,
): void {
  const flip = rng.next() < opts.flip;
  const angle = (rng.uniform(-opts.maxRotation, opts.maxRotation) * Math.PI) / 180;
  const cos = Math.cos(angle),
    sin = Math.sin(angle);
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const dy = y - c;
    for (let x = 0; x < size; x++) {
      const dx = x - c;
      // Inverse map: output pixel -> source position (rotate back, then undo the flip).
      let sx = cos * dx + sin * dy + c;
      const sy = -sin * dx + cos * dy + c;
      if (flip) sx = size - 1 - sx;
      out[y * size + x] = sampleBilinear(src, size, sx, sy, fill);
    }
  }
}

function sampleBilinear(src: Float32Array, size: number, x: number, y: number, fill: number): number {
  if (x < -0.5 || y < -0.5 || x > size - 0.5 || y > size - 0.5) return fill;
  const x0 = Math.floor(x),
    y0 = Math.floor(y);
  const fx = x - x0,
    fy = y - y0;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= size || yy >= size ? fill : src[yy * size + xx]);
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}
