export const LABEL_CATEGORIES = ['laterality', 'technologist', 'other'] as const;
export type LabelCategory = (typeof LABEL_CATEGORIES)[number];

/** A burned-in label box in image pixel coordinates (top-left origin, x/y/w/h as COCO). */
export interface LabelBox {
  /** Image path relative to the dataset root (the ImageRecord id). */
  file: string;
  x: number;
  y: number;
  w: number;
  h: number;
  category: LabelCategory;
  score?: number;
  /** What the label reads, where known ("L", "R", "JK"). */
  text?: string;
}

/** Boxes grouped by image id. */
export type BoxIndex = Map<string, LabelBox[]>;
