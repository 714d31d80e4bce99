/** Integer pixel rectangle [x0, x1) x [y0, y1). */
export interface PixelRect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Pixels touched by a box grown by margin on every side, clipped to the image. */
export function pixelRect(
  b: { x: number; y: number; w: number; h: number },
  margin: number,
  width: number,
  height: number,
): PixelRect {
  return {
    x0: Math.max(0, Math.floor(b.x - margin)),
    y0: Math.max(0, Math.floor(b.y - margin)),
    x1: Math.min(width, Math.ceil(b.x + b.w + margin)),
    y1: Math.min(height, Math.ceil(b.y + b.h + margin)),
  };
}

export function rectsOverlap(a: PixelRect, b: PixelRect): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** 1 for every pixel inside any of the rects. */
export function rectMask(rects: readonly PixelRect[], width: number, height: number): Uint8Array {
  const m = new Uint8Array(width * height);
  for (const r of rects) for (let y = r.y0; y < r.y1; y++) m.fill(1, y * width + r.x0, y * width + r.x1);
  return m;
}
