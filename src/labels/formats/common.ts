import type { LabelBox, LabelCategory } from '../types.js';
import { LABEL_CATEGORIES } from '../types.js';

export type BoxFormat = 'coco' | 'yolo' | 'csv' | 'presidio';
export const BOX_FORMATS: readonly BoxFormat[] = ['coco', 'yolo', 'csv', 'presidio'];

/** Pixel size of an image, keyed by its dataset id: what YOLO and COCO need to (de)normalise. */
export interface ImageSize {
  id: string;
  width: number;
  height: number;
}

/** Map a free-form category or class name onto ours: "text" and anything unknown become "other". */
export function toCategory(name: string): LabelCategory {
  const s = name.trim().toLowerCase();
  if ((LABEL_CATEGORIES as readonly string[]).includes(s)) return s as LabelCategory;
  if (s === 'side' || s === 'marker' || s === 'lateral_marker') return 'laterality';
  if (s === 'initials' || s === 'person') return 'technologist';
  return 'other';
}

/** Check a box read from a file; the error names the file and which box. */
export function checkBox(box: LabelBox, file: string, where: string): LabelBox {
  for (const k of ['x', 'y', 'w', 'h'] as const) {
    if (!Number.isFinite(box[k])) throw new Error(`${file}: ${where}: ${k} is not a number`);
  }
  if (box.w < 0 || box.h < 0) throw new Error(`${file}: ${where}: negative width or height`);
  if (box.score !== undefined && !Number.isFinite(box.score))
    throw new Error(`${file}: ${where}: score is not a number`);
  if (!box.file) throw new Error(`${file}: ${where}: no image path`);
  return box;
}

export function sortBoxes(boxes: LabelBox[]): LabelBox[] {
  return boxes.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.y - b.y || a.x - b.x));
}
