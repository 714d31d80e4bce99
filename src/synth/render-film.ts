/** From attenuation to a detector image: exposure, collimation, detector blur and quantum noise. */
import type { Rng } from '../util/index.js';
import type { Field } from './labels.js';
import { gaussianBlur } from './raster.js';

/** Exposure: 1 - exp(-gain * mu) over a background level, then contrast (gamma) and the heel effect. */
export function expose(mu: Float32Array, size: number, er: Rng): Float32Array {
  const gain = er.uniform(0.7, 1.1),
    bg = er.uniform(0.03, 0.14),
    gamma = er.uniform(0.75, 1.3);
  const heel = er.uniform(-0.08, 0.08),
    heelAngle = er.uniform(0, 2 * Math.PI);
  const img = new Float32Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const v = bg + (1 - bg) * (1 - Math.exp(-gain * mu[i]));
      const h = 1 + heel * ((x / size - 0.5) * Math.cos(heelAngle) + (y / size - 0.5) * Math.sin(heelAngle));
      img[i] = Math.min(1, v * h) ** gamma;
    }
  return img;
}

/** Collimation: outside a (slightly rotated) field the image is shuttered dark or processed bright. Returns the field. */
export function collimate(img: Float32Array, size: number, theta: number, cr: Rng): Field {
  const m = () => (cr.bool(0.55) ? cr.uniform(0.02, 0.14) * size : 0);
  const field: Field = {
    x0: m(),
    y0: m(),
    x1: size - m(),
    y1: size - m(),
    angle: theta * 0.4 + cr.normal(0, 0.03),
    size,
  };
  const outside = cr.bool(0.55) ? cr.uniform(0.01, 0.08) : cr.uniform(0.8, 0.95);
  const fc = Math.cos(-field.angle),
    fs = Math.sin(-field.angle),
    c0 = size / 2;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const u = c0 + fc * (x + 0.5 - c0) - fs * (y + 0.5 - c0),
        v = c0 + fs * (x + 0.5 - c0) + fc * (y + 0.5 - c0);
      const d = Math.min(u - field.x0, field.x1 - u, v - field.y0, field.y1 - v);
      if (d < 0.5) {
        const a = Math.min(1, 0.5 - d);
        const i = y * size + x;
        img[i] = img[i] * (1 - a) + outside * a;
      }
    }
  return field;
}

/** Detector blur, then quantum noise that grows with signal. Returns the image and the blur's sigma. */
export function blurAndNoise(img: Float32Array, size: number, nr: Rng): { blurred: Float32Array; sigma: number } {
  const s256 = size / 256;
  const sigma = nr.uniform(0.35, 0.9) * s256;
  const blurred = gaussianBlur(img, size, size, sigma);
  const noise = nr.uniform(0.006, 0.02);
  for (let i = 0; i < blurred.length; i++) blurred[i] += nr.normal(0, noise * (0.4 + blurred[i]));

  return { blurred, sigma };
}
