import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import { decodeRaster, type GrayImage, type ImageHeader } from './image.js';
import { decodeDicom, isDicomBytes } from './dicom.js';
import { sniffDicom } from './dicom/header.js';
import type { LoadIssue } from './types.js';

/** File extensions treated as images when walking folders. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.dcm', '.dicom'];

const RASTER = new Set(['.png', '.jpg', '.jpeg']);
const DICOM = new Set(['.dcm', '.dicom']);

export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** DICOM by extension; for an unknown extension, by the part-10 magic in the bytes. */
function isDicom(path: string, bytes: Uint8Array): boolean {
  const ext = extname(path).toLowerCase();
  return DICOM.has(ext) || (!RASTER.has(ext) && isDicomBytes(bytes));
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new Error(`${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/**
 * Read any supported image (PNG 8/16-bit, JPEG, uncompressed DICOM) as grayscale in [0, 1]: the one decoder
 * every stage uses. The file is opened once; the header and the pixels come from the same bytes. opts.frame: one
 * frame of a multi-frame DICOM (a record's `frame`); without it, the --frames mode decides.
 */
export async function readImage(path: string, opts: { frame?: number } = {}): Promise<GrayImage> {
  const bytes = await readBytes(path);
  if (!isDicom(path, bytes)) return decodeRaster(bytes, path);
  try {
    return await decodeDicom(bytes, path, { frame: opts.frame });
  } catch (err) {
    // The decoder names the file in its own errors; anything else (a malformed file tripping the parser) is
    // wrapped so the user still learns which file and why.
    const msg = err instanceof Error ? err.message : String(err);
    if (err instanceof Error && err.constructor === Error && msg.includes(path)) throw err;
    throw new Error(`${path}: cannot decode DICOM (${msg})`);
  }
}

/**
 * Cheap validity check: the header decodes and gives a size and bit depth (PNG/JPEG: header only; DICOM: the
 * whole file, through the one DICOM decoder). Throws an Error naming the file otherwise.
 */
export async function probeImage(path: string): Promise<ImageHeader> {
  const ext = extname(path).toLowerCase();
  if (DICOM.has(ext) || (!RASTER.has(ext) && (await sniffDicom(path).catch(() => false)))) {
    const img = await readImage(path);
    return { width: img.width, height: img.height, bits: img.bits };
  }
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(path).metadata();
  } catch (err) {
    throw new Error(`${path}: not a readable image (${(err as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new Error(`${path}: image has no size`);
  return { width: meta.width, height: meta.height, bits: meta.depth === 'ushort' ? 16 : 8 };
}

/**
 * readImage for batch jobs that skip and count: a file that does not decode is added to `skipped` (or, with no
 * list, named on stderr) and null comes back, so the batch goes on without it. A record reads its own frame.
 */
export async function readImageOrSkip(
  src: string | { path: string; frame?: number },
  skipped?: LoadIssue[],
): Promise<GrayImage | null> {
  const { path, frame } = typeof src === 'string' ? { path: src, frame: undefined } : src;
  try {
    return await readImage(path, { frame });
  } catch (err) {
    const issue = { file: path, message: (err as Error).message };
    if (skipped) skipped.push(issue);
    else process.stderr.write(`skipped ${issue.file}: ${issue.message}\n`);
    return null;
  }
}
