/**
 * Taking a ring off a letter it touches. A marker's letter often touches its ring (blur, a letter set off centre),
 * and then the two are one bright component whose holes are the ring's inside: the reader sees a framed blob. Seen
 * from the crop's centre, a ring is the last bright run on (nearly) every ray; its thickness is the median of those
 * runs (where the letter touches, the run is longer, and only the ring's thickness of it is cleared). What lies
 * beyond the ring's inner edge is set to the crop's dark level, and the letter is left alone in the crop.
 */
import { binarise, type Crop } from './glyph.js';

const RAYS = 64;
/** A bright run met last by this share of the rays surrounds the centre. */
const SURROUND = 0.9;

/** The crop with the ring that surrounds its centre cleared, or undefined when no ring does. */
export function clearRing(crop: Crop): Crop | undefined {
  const { width: w, height: h, data } = crop;
  const mask = binarise(crop);
  if (!mask) return undefined;
  const cx = (w - 1) / 2,
    cy = (h - 1) / 2;
  const reach = Math.hypot(w, h) / 2;
  // per ray: where its last bright run ends (outer edge) and how long that run is
  const outer = new Float64Array(RAYS),
    runs: number[] = [];
  let met = 0;
  for (let r = 0; r < RAYS; r++) {
    const a = (2 * Math.PI * r) / RAYS,
      dx = Math.cos(a),
      dy = Math.sin(a);
    let end = -1,
      start = -1,
      inRun = false;
    for (let t = 0; t < reach; t += 0.5) {
      const x = Math.round(cx + dx * t),
        y = Math.round(cy + dy * t);
      if (x < 0 || y < 0 || x >= w || y >= h) break;
      const bright = mask[y * w + x] === 1;
      if (bright && !inRun) start = t;
      if (bright) end = t;
      inRun = bright;
    }
    outer[r] = end;
    if (end < 0) continue;
    met++;
    runs.push(end - start + 0.5);
  }
  // a letter's bowl surrounds the centre close in; a ring lies out near the crop's edge
  const minSide = Math.min(w, h);
  const far = [...outer].filter((e) => e >= 0.35 * minSide).length;
  if (met < SURROUND * RAYS || far < SURROUND * RAYS) return undefined;
  runs.sort((a, b) => a - b);
  const thickness = runs[runs.length >> 1] + 1;
  let dark = 0,
    n = 0;
  for (let i = 0; i < mask.length; i++)
    if (!mask[i]) {
      dark += data[i];
      n++;
    }
  dark = n ? dark / n : 0;
  const out = new Float32Array(data);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const a = Math.atan2(y - cy, x - cx);
      const r = Math.round(((a < 0 ? a + 2 * Math.PI : a) * RAYS) / (2 * Math.PI)) % RAYS;
      const edge = outer[r] >= 0 ? outer[r] : reach;
      if (Math.hypot(x - cx, y - cy) > edge - thickness) out[y * w + x] = dark;
    }
  return { width: w, height: h, data: out };
}
