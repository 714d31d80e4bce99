import type { Rect } from '../data/index.js';

/** Bilinear upsampling of an h x w map to H x W (align-corners false, as torch's interpolate). */
export function upsample(map: Float32Array, h: number, w: number, H: number, W: number): Float32Array {
  const out = new Float32Array(H * W);
  const sy = h / H,
    sx = w / W;
  for (let y = 0; y < H; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy),
      y1 = Math.min(h - 1, y0 + 1),
      dy = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx),
        x1 = Math.min(w - 1, x0 + 1),
        dx = fx - x0;
      const top = map[y0 * w + x0] * (1 - dx) + map[y0 * w + x1] * dx;
      const bottom = map[y1 * w + x0] * (1 - dx) + map[y1 * w + x1] * dx;
      out[y * W + x] = top * (1 - dy) + bottom * dy;
    }
  }
  return out;
}

/** 1 where a pixel lies in any box (boxes clipped to the image). */
export function boxMask(boxes: readonly Rect[], width: number, height: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(b.x)),
      y0 = Math.max(0, Math.floor(b.y));
    const x1 = Math.min(width, Math.ceil(b.x + b.w)),
      y1 = Math.min(height, Math.ceil(b.y + b.h));
    for (let y = y0; y < y1; y++) mask.fill(1, y * width + x0, y * width + Math.max(x0, x1));
  }
  return mask;
}

export interface AttentionScore {
  /** Share of the positive CAM mass inside label boxes, in [0, 1]; NaN when the map is all zero. */
  labelAttention: number;
  /** Whether the CAM maximum falls inside a label box (pointing game). */
  pointingHit: boolean;
  /** Share of the image the boxes cover: the attention a map spread evenly would give. */
  boxAreaShare: number;
}

/** Measure how much of a saliency map (already at image resolution) falls on label boxes. */
export function labelAttention(
  cam: Float32Array,
  width: number,
  height: number,
  boxes: readonly Rect[],
): AttentionScore {
  const mask = boxMask(boxes, width, height);
  let inside = 0,
    total = 0,
    area = 0,
    best = -Infinity,
    bestIn = false;
  for (let p = 0; p < cam.length; p++) {
    const v = Math.max(0, cam[p]);
    total += v;
    if (mask[p]) {
      inside += v;
      area++;
    }
    if (cam[p] > best) {
      best = cam[p];
      bestIn = mask[p] === 1;
    }
  }
  return {
    labelAttention: total > 0 ? inside / total : NaN,
    pointingHit: total > 0 && bestIn,
    boxAreaShare: area / cam.length,
  };
}
