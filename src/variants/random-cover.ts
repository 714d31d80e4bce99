import type { LabelBox } from '../labels/index.js';
import type { Rng } from '../util/index.js';
import { pixelRect, rectsOverlap, type PixelRect } from './rects.js';

const TRIES = 500;

/**
 * Control boxes for the random-cover arm: one per label box, same width and height, placed inside the
 * image where neither it nor its margin touches any label box (plus margin) or another control box.
 * Seeded through rng. Throws when a box cannot be placed (labels leave no room).
 */
export function randomCoverBoxes(
  boxes: readonly LabelBox[],
  width: number,
  height: number,
  rng: Rng,
  margin = 0,
): LabelBox[] {
  const blocked: PixelRect[] = boxes.map((b) => pixelRect(b, margin, width, height));
  const out: LabelBox[] = [];
  for (const b of boxes) {
    const maxX = Math.floor(width - b.w),
      maxY = Math.floor(height - b.h);
    if (maxX < 0 || maxY < 0)
      throw new Error(`random-cover: a ${b.w}x${b.h} box does not fit in a ${width}x${height} image`);
    const free = (x: number, y: number) => {
      const r = pixelRect({ x, y, w: b.w, h: b.h }, margin, width, height);
      return !blocked.some((k) => rectsOverlap(k, r));
    };
    let pos: [number, number] | undefined;
    for (let t = 0; t < TRIES && !pos; t++) {
      const x = rng.int(0, maxX),
        y = rng.int(0, maxY);
      if (free(x, y)) pos = [x, y];
    }
    if (!pos) {
      // Crowded image: scan a grid from a random start so the result stays seeded but complete.
      const step = Math.max(1, Math.floor(Math.min(b.w, b.h) / 2));
      const cand: [number, number][] = [];
      for (let y = 0; y <= maxY; y += step) for (let x = 0; x <= maxX; x += step) if (free(x, y)) cand.push([x, y]);
      if (cand.length) pos = rng.pick(cand);
    }
    if (!pos)
      throw new Error(
        `random-cover: no free place for a ${b.w}x${b.h} box in a ${width}x${height} image away from the labels`,
      );
    const placed: LabelBox = { file: b.file, x: pos[0], y: pos[1], w: b.w, h: b.h, category: b.category };
    blocked.push(pixelRect(placed, margin, width, height));
    out.push(placed);
  }
  return out;
}
