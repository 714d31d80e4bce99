import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';
import sharp from 'sharp';
import { loadDataset, type DatasetFormat, type ImageRecord } from '../data/index.js';
import { readImage } from '../data/index.js';
import { encodeGrayPng, type GrayImage } from '../data/index.js';
import { isImagePath } from '../data/index.js';
import { readBoxes, indexBoxes, type BoxFormat } from '../labels/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/index.js';
import { checkOutputFolder, isInside, makeDirs, outputPath, type InputPath } from '../util/index.js';
import { acquireLock } from '../util/index.js';
import { clearComplete, markComplete, requireComplete } from '../util/index.js';
import { Rng } from '../util/index.js';
import { applyVariant, type FillMode, type VariantMode } from './apply.js';
import { coveredBoxes, encodeMaskedDicom, maskSidecar } from './dicom-writer.js';
import { isDicomPath } from '../data/index.js';

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

interface Manifest {
  version: 1;
  entries: Record<string, { key: string; out: string }>;
}

/** Refuse to write into the source: out must not be data nor inside it (symlinks followed). */
export async function checkOutside(data: string, out: string): Promise<string> {
  return checkOutputFolder(out, [{ what: 'dataset folder', path: data }]);
}

/** Folders of images a manifest names outside its own folder: the output must stay out of those too. */
function outsideFolders(root: string, records: readonly { path: string }[]): InputPath[] {
  const dirs = new Set(records.map((r) => dirname(resolve(r.path))).filter((d) => !isInside(resolve(root), d)));
  return [...dirs].map((d) => ({ what: 'folder of images the dataset names', path: d }));
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
      if (e.isDirectory()) {
        await walk(p);
        continue;
      }
      if (!e.isFile() || isImagePath(p)) continue;
      const dst = await outputPath(out, relative(root, p));
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
  await checkOutside(opts.data, opts.out);
  const margin = opts.margin ?? 0,
    seed = opts.seed ?? 0,
    fill = opts.fill ?? 'black';
  const ds = await loadDataset(opts.data, { format: opts.dataFormat, verify: 'none', allowOutside: opts.allowOutside });
  const out = await checkOutputFolder(opts.out, [
    { what: 'dataset folder', path: ds.root },
    ...outsideFolders(ds.root, ds.records),
  ]);
  using _lock = await acquireLock(out, `mask --out ${opts.out}`);
  const boxes = indexBoxes(await readBoxes(opts.boxes, { format: opts.boxesFormat, dataset: ds }));
  const ids = new Set(ds.records.map((r) => r.id));
  const unmatched = [...boxes.keys()].filter((k) => !ids.has(k)).length;

  const manifestPath = join(out, MASK_MANIFEST);
  const manifest: Manifest = await readFile(manifestPath, 'utf8')
    .then((t) => JSON.parse(t) as Manifest)
    .catch(() => ({ version: 1, entries: {} }));
  await makeDirs(out);
  await clearComplete(out);
  const metadataCopied = await copyMetadata(ds.root, out);

  const summary: MaskSummary = {
    out,
    mode: opts.mode,
    total: ds.records.length,
    written: 0,
    skipped: 0,
    failed: ds.issues.length,
    metadataCopied,
    unmatchedBoxFiles: unmatched,
    issues: [...ds.issues],
  };
  let done = 0,
    sinceSave = 0,
    next = 0;
  const saveManifest = () => writeJsonAtomic(manifestPath, manifest);
  async function one(i: number): Promise<void> {
    const r = ds.records[i];
    const mine = boxes.get(r.id) ?? [];
    const asDicom = opts.format === 'dicom' && (await isDicomPath(r.path));
    const key = createHash('sha1')
      .update(
        JSON.stringify([
          opts.mode,
          margin,
          fill,
          seed,
          mine.map((b) => [b.x, b.y, b.w, b.h]),
          ...(asDicom ? ['dicom', !!opts.deidentify] : []),
        ]),
      )
      .digest('hex');
    const prev = manifest.entries[r.id];
    const reuse =
      prev &&
      prev.key === key &&
      (await outputPath(out, prev.out)
        .then((p) => stat(p))
        .then(
          () => true,
          () => false,
        ));
    if (reuse) {
      summary.skipped++;
      return;
    }
    try {
      const img = await readImage(r.path, { frame: r.frame });
      const variant = applyVariant(img, mine, opts.mode, { margin, fill, rng: new Rng(seed).fork(r.id) });
      const { rel, bytes } = asDicom
        ? {
            rel: dicomName(r),
            bytes: await encodeMaskedDicom(await readFile(r.path), r.path, variant, mine, {
              mode: opts.mode,
              key,
              deidentify: opts.deidentify,
              frame: r.frame,
            }),
          }
        : await encodeLike(r.id, variant);
      const target = await outputPath(out, rel);
      if (asDicom) {
        const sidecar = maskSidecar(rel, coveredBoxes(mine, margin, img.width, img.height));
        await writeFileAtomic(await outputPath(out, `${rel}.json`), JSON.stringify(sidecar, null, 1) + '\n');
      }
      await writeFileAtomic(target, bytes);
      manifest.entries[r.id] = { key, out: rel };
      summary.written++;
      if (++sinceSave >= 100) {
        sinceSave = 0;
        await saveManifest();
      }
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
  await markComplete(out, 'masked copy', {
    mode: opts.mode,
    total: summary.total,
    written: summary.written,
    failed: summary.failed,
  });
  return summary;
}

/** Refuse a masked copy whose mask run was cut short (a folder without the mask manifest is not a masked copy). */
export function checkMaskedCopy(dir: string): void {
  if (!existsSync(join(dir, MASK_MANIFEST))) return;
  requireComplete(dir, 'this masked copy', 'rerun the same `confound mask` command to finish it');
}

/** A DICOM copy's name: the record's id, with a frame record's #frame-N before the extension (a/b#frame-2.dcm). */
function dicomName(r: ImageRecord): string {
  const m = /^(.*?)(\.[^./]*)?(#frame-\d+)$/.exec(r.id);
  return m ? `${m[1]}${m[3]}${m[2] ?? '.dcm'}` : r.id;
}
