import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import sharp from 'sharp';
import { readGray, type GrayImage } from './image.js';
import { decodeDicom, isDicomBytes } from './dicom.js';

/** File extensions treated as images when walking folders. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.dcm', '.dicom'];

export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(path).toLowerCase());
}

async function looksLikeDicom(path: string): Promise<boolean> {
  const ext = extname(path).toLowerCase();
  if (ext === '.dcm' || ext === '.dicom') return true;
  if (ext === '.png' || ext === '.jpg' || ext === '.jpeg') return false;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(132);
    const { bytesRead } = await fh.read(buf, 0, 132, 0);
    return bytesRead === 132 && isDicomBytes(buf);
  } finally {
    await fh.close();
  }
}

/** Read any supported image (PNG 8/16-bit, JPEG, uncompressed DICOM) as grayscale in [0, 1]. */
export async function readImage(path: string): Promise<GrayImage> {
  if (await looksLikeDicom(path)) {
    let bytes: Buffer;
    try { bytes = await readFile(path); } catch (err) { throw new Error(`${path}: cannot read file (${(err as Error).message})`); }
    return decodeDicom(bytes, path);
  }
  return readGray(path);
}

/** Cheap validity check: the header decodes and gives a size. Throws an Error naming the file otherwise. */
export async function probeImage(path: string): Promise<{ width: number; height: number }> {
  if (await looksLikeDicom(path)) {
    const img = await readImage(path);
    return { width: img.width, height: img.height };
  }
  let meta;
  try {
    meta = await sharp(path).metadata();
  } catch (err) {
    throw new Error(`${path}: not a readable image (${(err as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new Error(`${path}: image has no size`);
  return { width: meta.width, height: meta.height };
}
