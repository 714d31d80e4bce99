import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { LabelBox, LabelCategory } from '../types.js';
import { LABEL_CATEGORIES } from '../types.js';
import { checkBox, toCategory, type ImageSize } from './common.js';

/** YOLO class id -> our category; classes not in the map are skipped (e.g. GRAZPEDWRI-DX fracture boxes). */
export type YoloClassMap = ReadonlyMap<number, LabelCategory>;

/** Our own class ids when writing: 0 laterality, 1 technologist, 2 other (also listed in classes.txt). */
export const DEFAULT_YOLO_CLASSES: YoloClassMap = new Map(LABEL_CATEGORIES.map((c, i) => [i, c]));
/** GRAZPEDWRI-DX: class 8 is "text" (burned-in markers); the rest are findings, not labels. */
export const GRAZPEDWRI_YOLO_CLASSES: YoloClassMap = new Map([[8, 'other']]);

async function listTxt(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.txt') && e.name !== 'classes.txt') out.push(p);
    }
  }
  await walk(dir);
  return out.sort();
}

const stripExt = (p: string) => p.replace(/\.[^./]+$/, '');
const stem = (p: string) => stripExt(p.split('/').pop()!);

/** classes.txt (one name a line) if present, mapped through toCategory. */
async function classesFile(dir: string): Promise<YoloClassMap | undefined> {
  const text = await readFile(join(dir, 'classes.txt'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const names = text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
  return new Map(names.map((n, i) => [i, toCategory(n)]));
}

/**
 * Read a folder of YOLO txt files. Each txt is matched to an image by relative path without extension,
 * then by file stem; sizes are needed to turn normalised centres into pixels.
 */
export async function readYolo(
  dir: string,
  images: readonly ImageSize[],
  classMap?: YoloClassMap,
): Promise<LabelBox[]> {
  const map = classMap ?? (await classesFile(dir)) ?? DEFAULT_YOLO_CLASSES;
  const byRel = new Map(images.map((im) => [stripExt(im.id), im]));
  const byStem = new Map<string, ImageSize | null>();
  for (const im of images) byStem.set(stem(im.id), byStem.has(stem(im.id)) ? null : im);
  const out: LabelBox[] = [];
  for (const txt of await listTxt(dir)) {
    const rel = stripExt(relative(dir, txt).split(sep).join('/'));
    const im = byRel.get(rel) ?? byStem.get(stem(rel));
    if (!im)
      throw new Error(`${txt}: no image in the dataset matches this label file (need its size to read YOLO boxes)`);
    const lines = (await readFile(txt, 'utf8')).split(/\r?\n/);
    lines.forEach((line, i) => {
      const f = line.trim().split(/\s+/);
      if (f.length === 1 && f[0] === '') return;
      if (f.length < 5) throw new Error(`${txt}: line ${i + 1}: expected "class cx cy w h"`);
      const cls = Number(f[0]);
      const category = map.get(cls);
      if (category === undefined) return;
      const [cx, cy, w, h] = f.slice(1, 5).map(Number);
      const box: LabelBox = {
        file: im.id,
        x: (cx - w / 2) * im.width,
        y: (cy - h / 2) * im.height,
        w: w * im.width,
        h: h * im.height,
        category,
      };
      if (f.length >= 6) box.score = Number(f[5]);
      out.push(checkBox(box, txt, `line ${i + 1}`));
    });
  }
  return out;
}

/** One txt per image (same relative path, .txt), plus classes.txt; images without boxes get an empty file. */
export function formatYolo(boxes: readonly LabelBox[], images: readonly ImageSize[]): Map<string, string> {
  const sizes = new Map(images.map((im) => [im.id, im]));
  const files = new Map<string, string>();
  for (const im of images) files.set(`${stripExt(im.id)}.txt`, '');
  for (const b of boxes) {
    const im = sizes.get(b.file);
    if (!im) throw new Error(`writing YOLO: no image size for ${b.file}`);
    const cls = LABEL_CATEGORIES.indexOf(b.category);
    const vals = [(b.x + b.w / 2) / im.width, (b.y + b.h / 2) / im.height, b.w / im.width, b.h / im.height];
    let line = `${cls} ${vals.map((v) => +v.toFixed(8)).join(' ')}`;
    if (b.score !== undefined) line += ` ${b.score}`;
    const key = `${stripExt(b.file)}.txt`;
    files.set(key, (files.get(key) ?? '') + line + '\n');
  }
  files.set('classes.txt', LABEL_CATEGORIES.join('\n') + '\n');
  return files;
}
