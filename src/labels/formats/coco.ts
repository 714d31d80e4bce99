import type { LabelBox } from '../types.js';
import { LABEL_CATEGORIES } from '../types.js';
import { checkBox, toCategory, type ImageSize } from './common.js';

interface CocoImage {
  id: number;
  file_name: string;
  width?: number;
  height?: number;
}
interface CocoAnnotation {
  id?: number;
  image_id: number;
  category_id: number;
  bbox: number[];
  score?: number;
  text?: string;
}
interface CocoFile {
  images: CocoImage[];
  annotations: CocoAnnotation[];
  categories: { id: number; name: string }[];
}

export function isCocoJson(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as CocoFile).images) &&
    Array.isArray((v as CocoFile).annotations)
  );
}

/** What COCO validation can check against, and where its warnings go. */
export interface CocoCheck {
  /** Actual image sizes by file name (dataset id), where known: boxes are checked against these first. */
  sizes?: ReadonlyMap<string, { width: number; height: number }>;
  /** Default: a "warning: ..." line on stderr. */
  warn?: (message: string) => void;
}

const first = (xs: readonly string[]) => `${xs.slice(0, 3).join('; ')}${xs.length > 3 ? '; ...' : ''}`;

/**
 * Read COCO boxes, validated. Duplicate image ids are an error naming them (boxes would land on the wrong
 * image). Counted warnings, the rest read on: annotations with a category id the file does not list are dropped
 * (their kind is unknown); boxes wholly outside their image are dropped and boxes partly outside are clipped to
 * it (the image's actual size where known, else the COCO width/height); images whose COCO width/height
 * disagree with the file are named (their boxes are kept as given).
 */
export function parseCoco(v: unknown, file: string, check: CocoCheck = {}): LabelBox[] {
  const c = v as CocoFile;
  const warn = check.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
  c.images.forEach((im, i) => {
    if (typeof im !== 'object' || im === null || typeof im.file_name !== 'string' || !Number.isFinite(im.id)) {
      throw new Error(`${file}: images[${i}] needs a numeric "id" and a "file_name" string`);
    }
  });
  c.annotations.forEach((a, i) => {
    if (typeof a !== 'object' || a === null) throw new Error(`${file}: annotation ${i} is not an object`);
  });
  if (c.categories !== undefined && !Array.isArray(c.categories))
    throw new Error(`${file}: "categories" is not a list`);
  const seen = new Set<number>(),
    dup = new Set<number>();
  for (const im of c.images) (seen.has(im.id) ? dup : seen).add(im.id);
  if (dup.size) {
    throw new Error(
      `${file}: image id(s) used by more than one image: ${[...dup].slice(0, 10).join(', ')}` +
        `${dup.size > 10 ? ` (${dup.size} in all)` : ''}; each id must name one image`,
    );
  }
  const images = new Map(c.images.map((im) => [im.id, { ...im, file_name: im.file_name.replace(/\\/g, '/') }]));
  const mismatched: string[] = [];
  for (const im of images.values()) {
    const real = check.sizes?.get(im.file_name);
    if (
      real &&
      im.width !== undefined &&
      im.height !== undefined &&
      (im.width !== real.width || im.height !== real.height)
    ) {
      mismatched.push(`${im.file_name} is ${real.width}x${real.height}, COCO says ${im.width}x${im.height}`);
    }
  }
  const listed = Array.isArray(c.categories);
  const cats = new Map(
    (c.categories ?? [])
      .filter((k) => typeof k === 'object' && k !== null)
      .map((k) => [k.id, toCategory(String(k.name ?? ''))]),
  );
  const unknown: string[] = [],
    outside: string[] = [],
    clipped: string[] = [];
  const out: LabelBox[] = [];
  c.annotations.forEach((a, i) => {
    const where = `annotation ${i}`;
    const im = images.get(a.image_id);
    if (im === undefined) throw new Error(`${file}: ${where}: image_id ${a.image_id} is not in images`);
    if (!Array.isArray(a.bbox) || a.bbox.length !== 4) throw new Error(`${file}: ${where}: bbox must be [x, y, w, h]`);
    const [x, y, w, h] = a.bbox.map(Number);
    const category = cats.get(a.category_id);
    if (listed && category === undefined) {
      unknown.push(`${where} (category_id ${a.category_id})`);
      return;
    }
    const box: LabelBox = { file: im.file_name, x, y, w, h, category: category ?? 'other' };
    if (a.score !== undefined) box.score = Number(a.score);
    if (a.text !== undefined) box.text = String(a.text);
    checkBox(box, file, where);
    const frame =
      check.sizes?.get(im.file_name) ?? (im.width && im.height ? { width: im.width, height: im.height } : undefined);
    if (!frame) {
      out.push(box);
      return;
    }
    const x0 = Math.max(0, x),
      y0 = Math.max(0, y),
      x1 = Math.min(frame.width, x + w),
      y1 = Math.min(frame.height, y + h);
    if (x1 <= x0 || y1 <= y0) {
      outside.push(`${where} on ${im.file_name}`);
      return;
    }
    if (x0 !== x || y0 !== y || x1 !== x + w || y1 !== y + h) {
      clipped.push(`${where} on ${im.file_name}`);
      Object.assign(box, { x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
    }
    out.push(box);
  });
  if (!listed) warn(`${file}: no "categories" list; all ${c.annotations.length} box(es) read as category other`);
  if (unknown.length)
    warn(`${file}: ${unknown.length} box(es) with a category id not in "categories" dropped (${first(unknown)})`);
  if (outside.length) warn(`${file}: ${outside.length} box(es) wholly outside their image dropped (${first(outside)})`);
  if (clipped.length)
    warn(`${file}: ${clipped.length} box(es) partly outside their image clipped to it (${first(clipped)})`);
  if (mismatched.length) {
    warn(
      `${file}: ${mismatched.length} image(s) whose COCO width/height disagree with the file; their boxes are kept as given (${first(mismatched)})`,
    );
  }
  return out;
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
      id: i + 1,
      image_id: add(b.file),
      category_id: LABEL_CATEGORIES.indexOf(b.category) + 1,
      bbox: [b.x, b.y, b.w, b.h],
      area: b.w * b.h,
      iscrowd: 0,
    };
    if (b.score !== undefined) ann.score = b.score;
    if (b.text !== undefined) ann.text = b.text;
    out.annotations.push(ann);
  });
  return out;
}
