import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readBoxes, writeBoxes, type ImageSize } from '../labels/index.js';
import { LABEL_CATEGORIES, type LabelBox, type LabelCategory } from '../labels/index.js';
import { probeImage } from '../data/index.js';

/**
 * The label boxes being edited: starts from the edited file when one exists (so a second session goes on where the
 * first stopped), else the study's boxes.coco.json. Saving writes every image's boxes to one file (COCO, or CSV).
 */
export class BoxStore {
  private boxes = new Map<string, LabelBox[]>();
  private sizes = new Map<string, ImageSize>();
  source = '';

  /** pathOf: the file of an image id in the study's data (undefined for ids the data does not list). */
  constructor(
    readonly pathOf: (id: string) => string | undefined,
    readonly outPath: string,
  ) {}

  /** studyDir: where the study's boxes.coco.json is; none when boxing a plain folder (start from the out file only). */
  async load(studyDir?: string): Promise<void> {
    const candidates = [this.outPath, ...(studyDir ? [join(studyDir, 'boxes.coco.json')] : [])];
    const from = candidates.find((p) => existsSync(p));
    if (!from) return;
    this.source = from;
    for (const b of await readBoxes(from, { format: formatOf(from) })) {
      const list = this.boxes.get(b.file);
      if (list) list.push(b);
      else this.boxes.set(b.file, [b]);
    }
  }

  get(id: string): LabelBox[] {
    return this.boxes.get(id) ?? [];
  }
  all(): Record<string, LabelBox[]> {
    return Object.fromEntries(this.boxes);
  }

  async size(id: string): Promise<ImageSize> {
    const known = this.sizes.get(id);
    if (known) return known;
    const file = this.pathOf(id);
    if (!file) throw new Error(`image ${id} is not in the study's data`);
    const s = { id, ...(await probeImage(file)) };
    this.sizes.set(id, s);
    return s;
  }

  /** Replace one image's boxes (each checked: at least 1 pixel, inside the image) and write the whole set. */
  async set(id: string, input: unknown): Promise<LabelBox[]> {
    if (!Array.isArray(input)) throw new Error('boxes must be an array');
    const { width, height } = await this.size(id);
    const clean = input.map((raw, i) => checkEditedBox(raw, i, id, width, height));
    if (clean.length) this.boxes.set(id, clean);
    else this.boxes.set(id, []);
    await this.save();
    return clean;
  }

  private async save(): Promise<void> {
    const all = [...this.boxes.values()].flat();
    const sizes: ImageSize[] = [];
    for (const id of this.boxes.keys()) sizes.push(await this.size(id).catch(() => ({ id, width: 0, height: 0 })));
    await writeBoxes(
      this.outPath,
      all,
      formatOf(this.outPath),
      sizes.filter((s) => s.width > 0),
    );
  }
}

/** Edited boxes are COCO, or the dev set's CSV (path,x,y,w,h,category,score,text) when the file name ends in .csv. */
const formatOf = (file: string) => (file.toLowerCase().endsWith('.csv') ? 'csv' : 'coco');

/** Longest box text kept (the client's text field stops at the same length). */
const TEXT_MAX = 120;

function checkEditedBox(raw: unknown, i: number, id: string, width: number, height: number): LabelBox {
  const b = raw as Record<string, unknown>;
  const where = `box ${i}`;
  if (!b || typeof b !== 'object') throw new Error(`${where}: not an object`);
  const n = (k: string) => {
    const v = Number(b[k]);
    if (!Number.isFinite(v)) throw new Error(`${where}: ${k} is not a number`);
    return v;
  };
  const category = String(b.category ?? 'other');
  if (!(LABEL_CATEGORIES as readonly string[]).includes(category))
    throw new Error(`${where}: category "${category}" is not one of ${LABEL_CATEGORIES.join(', ')}`);
  const x = Math.round(n('x')),
    y = Math.round(n('y')),
    w = Math.round(n('w')),
    h = Math.round(n('h'));
  if (w < 1 || h < 1) throw new Error(`${where}: width and height must be at least 1 pixel (got ${w} x ${h})`);
  if (x < 0 || y < 0 || x + w > width || y + h > height) {
    throw new Error(`${where}: [${x}, ${y}, ${w}, ${h}] is not inside the ${width} x ${height} image`);
  }
  const box: LabelBox = { file: id, x, y, w, h, category: category as LabelCategory };
  if (b.text != null && typeof b.text !== 'string') throw new Error(`${where}: text is not a string`);
  const text = (b.text ?? '').trim();
  if (text.length > TEXT_MAX) throw new Error(`${where}: text is ${text.length} characters, more than ${TEXT_MAX}`);
  if (text) box.text = text;
  return box;
}
