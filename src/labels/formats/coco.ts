import type { LabelBox } from '../types.js';
import { LABEL_CATEGORIES } from '../types.js';
import { checkBox, toCategory, type ImageSize } from './common.js';

interface CocoImage { id: number; file_name: string; width?: number; height?: number }
interface CocoAnnotation { id?: number; image_id: number; category_id: number; bbox: number[]; score?: number; text?: string }
interface CocoFile { images: CocoImage[]; annotations: CocoAnnotation[]; categories: { id: number; name: string }[] }

export function isCocoJson(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Array.isArray((v as CocoFile).images) && Array.isArray((v as CocoFile).annotations);
}

export function parseCoco(v: unknown, file: string): LabelBox[] {
  const c = v as CocoFile;
  const images = new Map(c.images.map((im) => [im.id, im.file_name.replace(/\\/g, '/')]));
  const cats = new Map((c.categories ?? []).map((k) => [k.id, toCategory(k.name)]));
  return c.annotations.map((a, i) => {
    const where = `annotation ${i}`;
    const name = images.get(a.image_id);
    if (name === undefined) throw new Error(`${file}: ${where}: image_id ${a.image_id} is not in images`);
    if (!Array.isArray(a.bbox) || a.bbox.length !== 4) throw new Error(`${file}: ${where}: bbox must be [x, y, w, h]`);
    const [x, y, w, h] = a.bbox.map(Number);
    const box: LabelBox = { file: name, x, y, w, h, category: cats.get(a.category_id) ?? 'other' };
    if (a.score !== undefined) box.score = Number(a.score);
    if (a.text !== undefined) box.text = String(a.text);
    return checkBox(box, file, where);
  });
}

/** COCO with one image entry per known image (sizes included) and categories laterality/technologist/other. */
export function formatCoco(boxes: readonly LabelBox[], images: readonly ImageSize[]): CocoFile {
  const ids = new Map<string, number>();
  const out: CocoFile = {
    images: [],
    annotations: [],
    categories: LABEL_CATEGORIES.map((name, i) => ({ id: i + 1, name })),
  };
  const add = (name: string, size?: ImageSize) => {
    if (ids.has(name)) return ids.get(name)!;
    const id = ids.size + 1;
    ids.set(name, id);
    out.images.push(size ? { id, file_name: name, width: size.width, height: size.height } : { id, file_name: name });
    return id;
  };
  for (const im of images) add(im.id, im);
  boxes.forEach((b, i) => {
    const ann: CocoAnnotation & { area: number; iscrowd: 0 } = {
      id: i + 1, image_id: add(b.file), category_id: LABEL_CATEGORIES.indexOf(b.category) + 1,
      bbox: [b.x, b.y, b.w, b.h], area: b.w * b.h, iscrowd: 0,
    };
    if (b.score !== undefined) ann.score = b.score;
    if (b.text !== undefined) ann.text = b.text;
    out.annotations.push(ann);
  });
  return out;
}
