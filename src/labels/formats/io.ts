import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BoxIndex, LabelBox } from '../types.js';
import type { Dataset } from '../../data/index.js';
import { probeImage } from '../../data/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../../util/index.js';
import { checkChoice } from '../../util/index.js';
import { BOX_FORMATS, sortBoxes, type BoxFormat, type ImageSize } from './common.js';
import { formatCoco, isCocoJson, parseCoco } from './coco.js';
import { formatBoxCsv, parseBoxCsv } from './csv.js';
import { formatPresidio, parsePresidio } from './presidio.js';
import { GRAZPEDWRI_YOLO_CLASSES, formatYolo, readYolo, type YoloClassMap } from './yolo.js';

export interface ReadBoxesOptions {
  format?: BoxFormat | 'auto';
  /** Needed for YOLO (to match txt files to images and read their sizes). */
  dataset?: Dataset;
  /** Known sizes; otherwise read from the dataset's image headers when needed. */
  sizes?: readonly ImageSize[];
  yoloClasses?: YoloClassMap;
  /** Where validation warnings go (COCO: dropped, clipped boxes; size mismatches). Default: stderr. */
  warn?: (message: string) => void;
}

/** Sizes known without reading any image: given ones, or the dataset loader's header sizes. */
function knownSizes(opts: ReadBoxesOptions): Map<string, { width: number; height: number }> {
  const m = new Map<string, { width: number; height: number }>();
  for (const r of opts.dataset?.records ?? [])
    if (r.width && r.height) m.set(r.id, { width: r.width, height: r.height });
  for (const s of opts.sizes ?? []) m.set(s.id, s);
  return m;
}

/** Detect a box file's format: a folder is YOLO, .csv is CSV, JSON with images+annotations is COCO, other JSON Presidio. */
export async function detectBoxFormat(path: string): Promise<BoxFormat> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new Error(`${path}: no such box file or folder`);
  if (st.isDirectory()) return 'yolo';
  if (path.toLowerCase().endsWith('.csv')) return 'csv';
  const json = await readJson(path);
  return isCocoJson(json) ? 'coco' : 'presidio';
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

/** Image sizes for every record of a dataset: the loader's header sizes, read again only where it had none. */
export async function datasetSizes(ds: Dataset): Promise<ImageSize[]> {
  const out: ImageSize[] = [];
  for (const r of ds.records) {
    const { width, height } = r.width && r.height ? { width: r.width, height: r.height } : await probeImage(r.path);
    out.push({ id: r.id, width, height });
  }
  return out;
}

/** Read label boxes in any supported format (detected unless given), sorted by file then position. */
export async function readBoxes(path: string, opts: ReadBoxesOptions = {}): Promise<LabelBox[]> {
  const format =
    opts.format && opts.format !== 'auto'
      ? checkChoice('format', opts.format, BOX_FORMATS)
      : await detectBoxFormat(path);
  switch (format) {
    case 'csv':
      return sortBoxes(parseBoxCsv(await readFile(path, 'utf8'), path));
    case 'coco':
      return sortBoxes(parseCoco(await readJson(path), path, { sizes: knownSizes(opts), warn: opts.warn }));
    case 'presidio':
      return sortBoxes(parsePresidio(await readJson(path), path));
    case 'yolo': {
      const sizes = opts.sizes ?? (opts.dataset ? await datasetSizes(opts.dataset) : undefined);
      if (!sizes) throw new Error(`${path}: YOLO boxes need the dataset (image sizes) to be read`);
      const classes = opts.yoloClasses ?? (opts.dataset?.format === 'grazpedwri' ? GRAZPEDWRI_YOLO_CLASSES : undefined);
      return sortBoxes(await readYolo(path, sizes, classes));
    }
  }
}

/** Write boxes; `images` gives sizes (needed for YOLO and COCO image entries). YOLO writes a folder at path. */
export async function writeBoxes(
  path: string,
  boxes: readonly LabelBox[],
  format: BoxFormat,
  images: readonly ImageSize[] = [],
): Promise<void> {
  checkChoice('format', format, BOX_FORMATS);
  const sorted = sortBoxes([...boxes]);
  switch (format) {
    case 'csv':
      return writeFileAtomic(path, formatBoxCsv(sorted));
    case 'coco':
      return writeJsonAtomic(path, formatCoco(sorted, images));
    case 'presidio':
      return writeJsonAtomic(path, formatPresidio(sorted));
    case 'yolo':
      for (const [rel, text] of formatYolo(sorted, images)) await writeFileAtomic(join(path, rel), text);
  }
}

/** Group boxes by image id. */
export function indexBoxes(boxes: readonly LabelBox[]): BoxIndex {
  const idx: BoxIndex = new Map();
  for (const b of boxes) {
    const list = idx.get(b.file);
    if (list) list.push(b);
    else idx.set(b.file, [b]);
  }
  return idx;
}
