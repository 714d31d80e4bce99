import sharp from 'sharp';
import type { Rect } from '../data/index.js';

/** Anchors of a dark-to-bright sequential colormap (black-purple-red-orange-yellow), monotone in lightness. */
const ANCHORS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 0, 4],
  [40, 11, 84],
  [101, 21, 110],
  [159, 42, 99],
  [212, 72, 66],
  [245, 125, 21],
  [250, 193, 39],
  [252, 255, 164],
];

export function colormap(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (ANCHORS.length - 1);
  const i = Math.min(ANCHORS.length - 2, Math.floor(x));
  const f = x - i;
  const a = ANCHORS[i],
    b = ANCHORS[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export interface OverlayOptions {
  /** Blend weight of the heatmap where the CAM is at its maximum. */
  alpha?: number;
  boxColor?: [number, number, number];
}

/**
 * A radiograph (gray, [0,1]) with its CAM (same size, any positive scale) blended on top in colour, and label
 * boxes outlined. The heatmap's opacity follows its value, so cold regions leave the anatomy readable.
 */
export function overlayRgb(
  gray: Float32Array,
  cam: Float32Array,
  width: number,
  height: number,
  boxes: readonly Rect[],
  opts: OverlayOptions = {},
): Uint8Array {
  const alpha = opts.alpha ?? 0.6;
  const box = opts.boxColor ?? [0, 220, 255];
  let max = 0;
  for (const v of cam) if (v > max) max = v;
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const g = Math.min(1, Math.max(0, gray[p])) * 255;
    const t = max > 0 ? Math.max(0, cam[p]) / max : 0;
    const [r, gg, b] = colormap(t);
    const a = alpha * Math.sqrt(t);
    rgb[p * 3] = Math.round(g * (1 - a) + r * a);
    rgb[p * 3 + 1] = Math.round(g * (1 - a) + gg * a);
    rgb[p * 3 + 2] = Math.round(g * (1 - a) + b * a);
  }
  for (const bx of boxes) outline(rgb, width, height, bx, box);
  return rgb;
}

function outline(rgb: Uint8Array, width: number, height: number, b: Rect, color: readonly number[]): void {
  const x0 = Math.max(0, Math.round(b.x)),
    y0 = Math.max(0, Math.round(b.y));
  const x1 = Math.min(width - 1, Math.round(b.x + b.w) - 1),
    y1 = Math.min(height - 1, Math.round(b.y + b.h) - 1);
  const set = (x: number, y: number) => {
    const o = (y * width + x) * 3;
    rgb[o] = color[0];
    rgb[o + 1] = color[1];
    rgb[o + 2] = color[2];
  };
  for (let x = x0; x <= x1; x++) {
    set(x, y0);
    set(x, y1);
  }
  for (let y = y0; y <= y1; y++) {
    set(x0, y);
    set(x1, y);
  }
}

export function encodeRgbPng(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}
