import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import sharp from 'sharp';
import { loadDataset, type DatasetFormat } from '../data/load.js';
import { readImage } from '../data/read-image.js';
import { encodeGrayPng, type GrayImage } from '../data/image.js';
import { isImagePath } from '../data/read-image.js';
import { readBoxes, indexBoxes, type BoxFormat } from '../labels/formats/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/atomic.js';
import { Rng } from '../util/rng.js';
import { applyVariant, type FillMode, type VariantMode } from './apply.js';
import { coveredBoxes, encodeMaskedDicom, maskSidecar } from './dicom-writer.js';
import { isDicomPath } from '../data/dicom/header.js';

export const MASK_MANIFEST = '.confound-mask.json';

export interface MaskDatasetOptions {
  data: string;
  boxes: string;
  out: string;
  mode: VariantMode;
  margin?: number;
  seed?: number;
  fill?: FillMode;
  dataFormat?: DatasetFormat;
  boxesFormat?: BoxFormat;
  /** Read files a manifest names outside its folder. */
  allowOutside?: boolean;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** 'dicom': DICOM inputs are written back as DICOM with a JSON sidecar of the boxes (variants/dicom-writer.ts). */
  format?: 'like-input' | 'dicom';
  /** With format 'dicom': also de-identify the tags (see dicom-writer.ts). */
  deidentify?: boolean;
}

export interface MaskSummary {
  out: string;
  mode: VariantMode;
  total: number;
  written: number;
  skipped: number;
  failed: number;
  metadataCopied: number;
  /** Images whose boxes were all from files not in the dataset. */
  unmatchedBoxFiles: number;
  issues: { file: string; message: string }[];
}

interface Manifest { version: 1; entries: Record<string, { key: string; out: string }> }

/** Refuse to write into the source: out must not be data nor inside it. */
export function checkOutside(data: string, out: string): void {
  const d = resolve(data), o = resolve(out);
  const rel = relative(d, o);
  if (rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel))) {
    throw new Error(`${out}: output folder must not be the dataset folder or inside it (${data})`);
  }
}

/** Encode the variant the way the source was stored: PNG stays PNG (same bit depth), JPEG stays JPEG; DICOM becomes a PNG. */
async function encodeLike(id: string, img: GrayImage): Promise<{ rel: string; bytes: Buffer }> {
  const ext = extname(id).toLowerCase();
  if (ext === '.jpg' || ext === '.jpeg') {
    const png = await encodeGrayPng(img, 8);
    return { rel: id, bytes: await sharp(png).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer() };
  }
  if (ext === '.png') return { rel: id, bytes: await encodeGrayPng(img) };
  return { rel: `${id}.png`, bytes: await encodeGrayPng(img, img.bits) };
}

/** Copy every non-image, non-hidden file (CSVs, metadata) into the output tree, unless already there with the same size. */
async function copyMetadata(root: string, out: string): Promise<number> {
  let n = 0;
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) { await walk(p); continue; }
      if (!e.isFile() || isImagePath(p)) continue;
      const dst = join(out, relative(root, p));
      const [a, b] = await Promise.all([stat(p), stat(dst).catch(() => null)]);
      if (b && b.size === a.size) continue;
      await writeFileAtomic(dst, await readFile(p));
      n++;
    }
  }
  await walk(root);
  return n;
}

/**
 * Write a full copy of a dataset with one input variant applied to every image (see applyVariant).
 * Resumable: an image whose output exists and whose manifest entry matches (same mode, margin, fill, seed, boxes) is skipped.
 */
export async function maskDataset(opts: MaskDatasetOptions): Promise<MaskSummary> {
  checkOutside(opts.data, opts.out);
  const margin = opts.margin ?? 0, seed = opts.seed ?? 0, fill = opts.fill ?? 'black';
  const ds = await loadDataset(opts.data, { format: opts.dataFormat, verify: 'none', allowOutside: opts.allowOutside });
  checkOutside(ds.root, opts.out);
  const out = resolve(opts.out);
  const boxes = indexBoxes(await readBoxes(opts.boxes, { format: opts.boxesFormat, dataset: ds }));
  const ids = new Set(ds.records.map((r) => r.id));
  const unmatched = [...boxes.keys()].filter((k) => !ids.has(k)).length;

  const manifestPath = join(out, MASK_MANIFEST);
  const manifest: Manifest = await readFile(manifestPath, 'utf8').then((t) => JSON.parse(t) as Manifest).catch(() => ({ version: 1, entries: {} }));
  await mkdir(out, { recursive: true });
  const metadataCopied = await copyMetadata(ds.root, out);

  const summary: MaskSummary = {
    out, mode: opts.mode, total: ds.records.length, written: 0, skipped: 0, failed: ds.issues.length, metadataCopied,
    unmatchedBoxFiles: unmatched, issues: [...ds.issues],
  };
  let done = 0, sinceSave = 0, next = 0;
  const saveManifest = () => writeJsonAtomic(manifestPath, manifest);
  async function one(i: number): Promise<void> {
    const r = ds.records[i];
    const mine = boxes.get(r.id) ?? [];
    const asDicom = opts.format === 'dicom' && await isDicomPath(r.path);
    const key = createHash('sha1').update(JSON.stringify([opts.mode, margin, fill, seed, mine.map((b) => [b.x, b.y, b.w, b.h]),
      ...(asDicom ? ['dicom', !!opts.deidentify] : [])])).digest('hex');
    const prev = manifest.entries[r.id];
    if (prev && prev.key === key && await stat(join(out, prev.out)).then(() => true, () => false)) { summary.skipped++; return; }
    try {
      const img = await readImage(r.path);
      const variant = applyVariant(img, mine, opts.mode, { margin, fill, rng: new Rng(seed).fork(r.id) });
      const { rel, bytes } = asDicom
        ? { rel: r.id, bytes: await encodeMaskedDicom(await readFile(r.path), r.path, variant, mine, { mode: opts.mode, key, deidentify: opts.deidentify }) }
        : await encodeLike(r.id, variant);
      if (asDicom) {
        const sidecar = maskSidecar(rel, coveredBoxes(mine, margin, img.width, img.height));
        await writeFileAtomic(join(out, `${rel}.json`), JSON.stringify(sidecar, null, 1) + '\n');
      }
      await writeFileAtomic(join(out, rel), bytes);
      manifest.entries[r.id] = { key, out: rel };
      summary.written++;
      if (++sinceSave >= 100) { sinceSave = 0; await saveManifest(); }
    } catch (err) {
      summary.failed++;
      summary.issues.push({ file: r.path, message: (err as Error).message });
    }
  }
  async function worker(): Promise<void> {
    while (next < ds.records.length) {
      await one(next++);
      opts.onProgress?.(++done, ds.records.length);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  await saveManifest();
  return summary;
}
