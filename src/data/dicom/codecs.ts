import { createRequire } from 'node:module';
import { decodeJpegLossless } from './jpeg-lossless.js';
import { decodeRle } from './rle.js';

/**
 * Decoders for the compressed transfer syntaxes, each returning a frame's stored words (interleaved samples).
 * Libraries: the Cornerstone project's WebAssembly builds of libjpeg-turbo (JPEG 8-bit), CharLS (JPEG-LS) and
 * OpenJPEG (JPEG 2000), which OHIF viewers use on hospital data; jpeg-lossless-decoder-js for JPEG lossless
 * streams that our fast path (jpeg-lossless.ts) leaves; RLE (a few lines of PackBits) is our own. JPEG extended
 * with more than 8 bits has no maintained npm decoder, so dicom.ts hands those files to Debian's gdcmconv.
 */

export const SYNTAX = {
  implicitLE: '1.2.840.10008.1.2',
  explicitLE: '1.2.840.10008.1.2.1',
  deflatedLE: '1.2.840.10008.1.2.1.99',
  explicitBE: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNear: '1.2.840.10008.1.2.4.81',
  j2kLossless: '1.2.840.10008.1.2.4.90',
  j2k: '1.2.840.10008.1.2.4.91',
  rle: '1.2.840.10008.1.2.5',
} as const;

export const NATIVE_SYNTAXES: ReadonlySet<string> = new Set([
  SYNTAX.implicitLE,
  SYNTAX.explicitLE,
  SYNTAX.deflatedLE,
  SYNTAX.explicitBE,
]);
export const COMPRESSED_SYNTAXES: ReadonlySet<string> = new Set([
  SYNTAX.jpegBaseline,
  SYNTAX.jpegExtended,
  SYNTAX.jpegLossless,
  SYNTAX.jpegLosslessSV1,
  SYNTAX.jpegLsLossless,
  SYNTAX.jpegLsNear,
  SYNTAX.j2kLossless,
  SYNTAX.j2k,
  SYNTAX.rle,
]);
/** Syntaxes whose decoded pixels equal the encoded ones, so a writer may keep them. */
export const LOSSLESS_SYNTAXES: ReadonlySet<string> = new Set([
  SYNTAX.jpegLossless,
  SYNTAX.jpegLosslessSV1,
  SYNTAX.jpegLsLossless,
  SYNTAX.j2kLossless,
  SYNTAX.rle,
]);

export interface FrameLayout {
  rows: number;
  cols: number;
  samples: number;
  bitsAllocated: number;
  bitsStored: number;
  signed: boolean;
}

interface WasmDecoder {
  getEncodedBuffer(n: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
  delete(): void;
}
type WasmModule = Record<string, new () => WasmDecoder>;

const require = createRequire(import.meta.url);
const modules = new Map<string, Promise<WasmModule>>();

function wasm(pkg: string): Promise<WasmModule> {
  let m = modules.get(pkg);
  if (!m) {
    const factory = require(pkg) as (o: object) => Promise<WasmModule>;
    // The Emscripten builds print progress ("[INFO] ...") on stdout unless given their own print functions.
    const quiet = (): void => {};
    m = factory({ print: quiet, printErr: quiet });
    modules.set(pkg, m);
  }
  return m;
}

async function decodeWasm(
  pkg: string,
  cls: string,
  src: Uint8Array,
  layout: FrameLayout,
): Promise<Uint8Array | Uint16Array> {
  const mod = await wasm(pkg);
  const dec = new mod[cls]();
  try {
    dec.getEncodedBuffer(src.length).set(src);
    dec.decode();
    const info = dec.getFrameInfo();
    if (info.width !== layout.cols || info.height !== layout.rows || info.componentCount !== layout.samples) {
      throw new Error(
        `codestream is ${info.width}x${info.height}x${info.componentCount}, header says ` +
          `${layout.cols}x${layout.rows}x${layout.samples}`,
      );
    }
    const bytes = dec.getDecodedBuffer();
    if (info.bitsPerSample <= 8) return bytes.slice();
    const words = new Uint16Array(bytes.length >> 1);
    new Uint8Array(words.buffer).set(bytes.subarray(0, words.length * 2));
    return words;
  } finally {
    dec.delete();
  }
}

interface LosslessLib {
  Decoder: new () => { decompress(b: ArrayBufferLike, off: number, len: number): ArrayBuffer };
}

function decodeLosslessGeneral(src: Uint8Array, layout: FrameLayout): Uint8Array | Uint16Array {
  const lib = require('jpeg-lossless-decoder-js') as LosslessLib;
  const out = new lib.Decoder().decompress(src.buffer, src.byteOffset, src.length);
  return layout.bitsAllocated <= 8 ? new Uint8Array(out) : new Uint16Array(out);
}

/** Decode one compressed frame to stored words; throws with what went wrong (the caller adds the file). */
export async function decodeCompressedFrame(
  syntax: string,
  src: Uint8Array,
  layout: FrameLayout,
): Promise<Uint8Array | Uint16Array> {
  switch (syntax) {
    case SYNTAX.jpegBaseline:
    case SYNTAX.jpegExtended:
      return decodeWasm('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', 'JPEGDecoder', src, layout);
    case SYNTAX.jpegLossless:
    case SYNTAX.jpegLosslessSV1: {
      const fast = layout.samples === 1 ? decodeJpegLossless(src) : null;
      const words = fast ?? decodeLosslessGeneral(src, layout);
      const want = layout.rows * layout.cols * layout.samples;
      if (words.length !== want) {
        throw new Error(
          `codestream has ${words.length} samples, header says ${layout.cols}x${layout.rows}x${layout.samples}`,
        );
      }
      return words;
    }
    case SYNTAX.jpegLsLossless:
    case SYNTAX.jpegLsNear:
      return decodeWasm('@cornerstonejs/codec-charls/decodewasmjs', 'JpegLSDecoder', src, layout);
    case SYNTAX.j2kLossless:
    case SYNTAX.j2k:
      return clampUnsigned(
        await decodeWasm('@cornerstonejs/codec-openjpeg/decodewasmjs', 'J2KDecoder', src, layout),
        layout,
      );
    case SYNTAX.rle:
      return decodeRle(src, layout.rows * layout.cols, layout.samples, layout.bitsAllocated <= 8 ? 1 : 2);
    default:
      throw new Error(`no decoder for transfer syntax ${syntax}`);
  }
}

/**
 * An irreversible wavelet can ring past the stored range; OpenJPEG's 16-bit output then holds -1 as 65535.
 * Clamp unsigned samples narrower than their words to [0, 2^bits - 1] (negative to 0), as gdcm does.
 */
function clampUnsigned(words: Uint8Array | Uint16Array, layout: FrameLayout): Uint8Array | Uint16Array {
  if (layout.signed || layout.bitsStored >= 16 || words instanceof Uint8Array) return words;
  const max = 2 ** layout.bitsStored - 1;
  for (let i = 0; i < words.length; i++) if (words[i] > max) words[i] = words[i] >= 0x8000 ? 0 : max;
  return words;
}
