import sharp from 'sharp';
import { writeFileAtomic } from '../util/index.js';

/** A grayscale image with intensities in [0, 1], row-major. */
export interface GrayImage {
  width: number;
  height: number;
  data: Float32Array;
  /** Bit depth of the source (8 or 16), kept so a copy can be written back the same way. */
  bits: 8 | 16;
}

/** What a header tells without decoding the pixels. */
export interface ImageHeader {
  width: number;
  height: number;
  bits: 8 | 16;
}

/**
 * Decode PNG/JPEG bytes (8 or 16 bit, any channels) into a grayscale image in [0, 1], in one sharp pipeline:
 * the header read and the decode share one input buffer, so the file is opened once (by the caller).
 */
export async function decodeRaster(bytes: Buffer, path: string): Promise<GrayImage> {
  if (bytes.length === 0) throw new Error(`${path}: empty file`);
  let pipeline: ReturnType<typeof sharp>;
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    pipeline = sharp(bytes);
    meta = await pipeline.metadata();
  } catch (err) {
    throw new Error(`${path}: cannot read image (${(err as Error).message})`);
  }
  if (!meta.width || !meta.height) throw new Error(`${path}: image has no size`);
  const sixteen = meta.depth === 'ushort';
  pipeline.toColourspace(sixteen ? 'grey16' : 'b-w');
  // Colour or alpha: b-w leaves grey (+ alpha); keep the grey channel only.
  if ((meta.channels ?? 1) > 1) pipeline.extractChannel(0);
  const { data, info } = await pipeline
    .raw({ depth: sixteen ? 'ushort' : 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((err: Error) => {
      throw new Error(`${path}: cannot decode image (${err.message})`);
    });
  if (info.channels !== 1) throw new Error(`${path}: decoded to ${info.channels} channels, expected 1`);
  return rawToGray(data, info.width, info.height, sixteen);
}

/** Every 8-bit (or 16-bit) level divided by 255 (or 65535), as float32: a lookup is faster than a division. */
const levels = { 8: undefined as Float32Array | undefined, 16: undefined as Float32Array | undefined };
function levelTable(bits: 8 | 16): Float32Array {
  const max = bits === 16 ? 65535 : 255;
  levels[bits] ??= Float32Array.from({ length: max + 1 }, (_, v) => v / max);
  return levels[bits];
}

/**
 * Pixel stores of decoded images that their reader gave back (releaseGray), to decode the next ones into: a
 * 2,500 px film's pixels are some 20 MB of float32, and allocating them afresh for each image of a run drove the
 * garbage collector. Only stores that rawToGray made are taken back.
 */
const spare: ArrayBuffer[] = [];
const made = new WeakSet<ArrayBuffer>();
const SPARES = 2;

/** Give back a decoded image's pixel store: the caller must not use the image (nor anything holding it) after. */
export function releaseGray(img: GrayImage): void {
  const buf = img.data.buffer as ArrayBuffer;
  if (made.has(buf) && spare.length < SPARES && !spare.includes(buf)) spare.push(buf);
}

/** A float32 store of n values (not zeroed when it is a spare: every value is written), the smallest spare that fits. */
function pixelStore(n: number): Float32Array {
  let best = -1;
  for (let i = 0; i < spare.length; i++)
    if (spare[i].byteLength >= 4 * n && (best < 0 || spare[i].byteLength < spare[best].byteLength)) best = i;
  if (best < 0) {
    const out = new Float32Array(n);
    made.add(out.buffer);
    return out;
  }
  const buf = spare[best];
  spare.splice(best, 1);
  return new Float32Array(buf, 0, n);
}

/** One-channel raw sharp output (8-bit, or native-endian 16-bit) as a grayscale image in [0, 1]. */
export function rawToGray(data: Buffer, width: number, height: number, sixteen: boolean): GrayImage {
  const n = width * height;
  const out = pixelStore(n);
  if (sixteen) {
    // Copy when the buffer is not 2-byte aligned so the view is valid.
    const src = data.byteOffset % 2 === 0 ? data : Buffer.from(data);
    const u16 = new Uint16Array(src.buffer, src.byteOffset, n);
    const table = levelTable(16);
    for (let i = 0; i < n; i++) out[i] = table[u16[i]];
  } else {
    const table = levelTable(8);
    for (let i = 0; i < n; i++) out[i] = table[data[i]];
  }
  return { width, height, data: out, bits: sixteen ? 16 : 8 };
}

/** Encode a grayscale image as PNG (8 or 16 bit). Deterministic: same pixels give the same bytes. */
export async function encodeGrayPng(img: GrayImage, bits: 8 | 16 = img.bits): Promise<Buffer> {
  const n = img.width * img.height;
  if (bits === 16) {
    const u16 = new Uint16Array(n);
    for (let i = 0; i < n; i++) u16[i] = Math.round(Math.min(1, Math.max(0, img.data[i])) * 65535);
    return sharp(u16, { raw: { width: img.width, height: img.height, channels: 1 } })
      .toColourspace('grey16')
      .png({ compressionLevel: 6 })
      .toBuffer();
  }
  const u8 = new Uint8Array(n);
  for (let i = 0; i < n; i++) u8[i] = Math.round(Math.min(1, Math.max(0, img.data[i])) * 255);
  // Without an explicit b-w colourspace sharp writes single-channel raw input as an RGB PNG.
  return sharp(Buffer.from(u8.buffer), { raw: { width: img.width, height: img.height, channels: 1 } })
    .toColourspace('b-w')
    .png({ compressionLevel: 6 })
    .toBuffer();
}

export async function writeGrayPng(path: string, img: GrayImage, bits: 8 | 16 = img.bits): Promise<void> {
  await writeFileAtomic(path, await encodeGrayPng(img, bits));
}
