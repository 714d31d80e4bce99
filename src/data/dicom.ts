import dicomParser from 'dicom-parser';
import type { GrayImage } from './image.js';
import {
  COMPRESSED_SYNTAXES,
  NATIVE_SYNTAXES,
  SYNTAX,
  decodeCompressedFrame,
  type FrameLayout,
} from './dicom/codecs.js';
import {
  displayTable,
  toDisplay,
  VOI_FUNCTIONS,
  type DisplayPipeline,
  type Lut,
  type VoiFunction,
} from './dicom/lut.js';
import { decompressWithGdcm } from './dicom/gdcm.js';

/** What to do with a multi-frame DICOM: keep the first frame, every frame, or refuse it (the default). */
export type FrameMode = 'first' | 'all' | 'error';
export const FRAME_MODES: readonly FrameMode[] = ['first', 'all', 'error'];

export interface DicomDecodeOptions {
  frames?: FrameMode;
  /** Decode this frame (0-based) alone, whatever the frame mode: a record made by --frames all names it. */
  frame?: number;
}

let defaultFrames: FrameMode = 'error';
/** The frame mode used when a call names none: the CLI's global --frames sets it once, before any reading. */
export function setDefaultFrameMode(mode: FrameMode): void {
  if (!FRAME_MODES.includes(mode)) throw new Error(`--frames must be one of ${FRAME_MODES.join(', ')}, got "${mode}"`);
  defaultFrames = mode;
}

/** The frame mode in force (the CLI's --frames, else 'error'). */
export function defaultFrameMode(): FrameMode {
  return defaultFrames;
}

/** True when the bytes carry the DICOM part-10 magic ("DICM" after the 128-byte preamble). */
export function isDicomBytes(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d
  );
}

/** Parse a part-10 file with dicom-parser; its errors (often bare strings) become one Error naming the file. */
export function parseDicomBytes(bytes: Uint8Array, file: string, untilTag?: string): dicomParser.DataSet {
  if (!isDicomBytes(bytes)) throw new Error(`${file}: not a DICOM part-10 file (no "DICM" at byte 128)`);
  try {
    return dicomParser.parseDicom(bytes, untilTag ? { untilTag } : undefined);
  } catch (err) {
    const e = err as { exception?: unknown; message?: string };
    const msg = e.exception !== undefined ? String(e.exception) : (e.message ?? String(err));
    const why = msg.replace(/^dicomParser[.:]\w+: /, '');
    if (/overrun|overread|past end|eof/i.test(why)) throw new Error(`${file}: DICOM file is truncated (${why})`);
    throw new Error(`${file}: cannot parse DICOM (${why})`);
  }
}

export function transferSyntaxOf(ds: dicomParser.DataSet): string {
  return (ds.string('x00020010') ?? SYNTAX.implicitLE).replace(/\0/g, '').trim();
}

interface PixelModule extends FrameLayout {
  bitsStored: number;
  signed: boolean;
  photometric: string;
  planar: boolean;
  frames: number;
}

function pixelModule(ds: dicomParser.DataSet, file: string): PixelModule {
  const rows = ds.uint16('x00280010');
  const cols = ds.uint16('x00280011');
  if (!rows || !cols) throw new Error(`${file}: DICOM has no Rows/Columns`);
  const samples = ds.uint16('x00280002') ?? 1;
  if (samples !== 1 && samples !== 3)
    throw new Error(`${file}: DICOM has ${samples} samples per pixel (1 or 3 are read)`);
  const bitsAllocated = ds.uint16('x00280100') ?? 16;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) {
    throw new Error(`${file}: DICOM BitsAllocated ${bitsAllocated} is not supported (8 or 16)`);
  }
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated) {
    throw new Error(`${file}: DICOM BitsStored ${bitsStored} does not fit BitsAllocated ${bitsAllocated}`);
  }
  const frames = ds.intString('x00280008') ?? 1;
  if (!(frames >= 1))
    throw new Error(`${file}: DICOM NumberOfFrames ${ds.string('x00280008')} is not a positive number`);
  const photometric = (ds.string('x00280004') ?? (samples === 3 ? 'RGB' : 'MONOCHROME2')).trim().toUpperCase();
  return {
    rows,
    cols,
    samples,
    bitsAllocated,
    bitsStored,
    frames,
    photometric,
    signed: (ds.uint16('x00280103') ?? 0) === 1,
    planar: samples === 3 && (ds.uint16('x00280006') ?? 0) === 1,
  };
}

function readLut(item: dicomParser.DataSet, signedInput: boolean): Lut | undefined {
  const desc = item.elements.x00283002;
  const data = item.elements.x00283006;
  if (!desc || !data || desc.length < 6) return undefined;
  const n = item.uint16('x00283002', 0) || 65536;
  const rawFirst = item.uint16('x00283002', 1)!;
  const first = signedInput && rawFirst >= 32768 ? rawFirst - 65536 : rawFirst;
  const bits = item.uint16('x00283002', 2)!;
  const values = new Uint16Array(n);
  if (bits <= 8 && data.length === n) for (let i = 0; i < n; i++) values[i] = item.byteArray[data.dataOffset + i];
  else if (data.length >= n * 2) for (let i = 0; i < n; i++) values[i] = item.uint16('x00283006', i)!;
  else return undefined;
  return { first, bits, data: values };
}

function displayPipeline(ds: dicomParser.DataSet, px: PixelModule, file: string): DisplayPipeline {
  const modalityItem = ds.elements.x00283000?.items?.[0]?.dataSet;
  const voiItem = ds.elements.x00283010?.items?.[0]?.dataSet;
  const modalityLut = modalityItem ? readLut(modalityItem, px.signed) : undefined;
  const voiLut = voiItem ? readLut(voiItem, px.signed || (ds.floatString('x00281052') ?? 0) < 0) : undefined;
  const center = ds.floatString('x00281050', 0);
  const width = ds.floatString('x00281051', 0);
  const fnName = (ds.string('x00281056') ?? 'LINEAR').trim().toUpperCase();
  if (!(VOI_FUNCTIONS as readonly string[]).includes(fnName)) {
    throw new Error(`${file}: DICOM VOI LUT Function ${fnName} is not one of ${VOI_FUNCTIONS.join(', ')}`);
  }
  const fn = fnName as VoiFunction;
  const usable = width !== undefined && (fn === 'LINEAR' ? width >= 1 : width > 0);
  const window = center !== undefined && width !== undefined && usable ? { center, width, fn } : undefined;
  const shape = (ds.string('x20500020') ?? '').trim().toUpperCase();
  const padValue = ds.elements.x00280120 ? readUsOrSs(ds, 'x00280120', px.signed) : undefined;
  const padLimit = ds.elements.x00280121 ? readUsOrSs(ds, 'x00280121', px.signed) : undefined;
  return {
    bitsStored: px.bitsStored,
    signed: px.signed,
    slope: ds.floatString('x00281053') ?? 1,
    intercept: ds.floatString('x00281052') ?? 0,
    modalityLut,
    voiLut,
    window,
    // A DX MONOCHROME1 image carries shape INVERSE for the same single inversion (PS3.3 C.8.11.6.1.1).
    invert: px.photometric === 'MONOCHROME1' || shape === 'INVERSE',
    padding:
      padValue === undefined
        ? undefined
        : { lo: Math.min(padValue, padLimit ?? padValue), hi: Math.max(padValue, padLimit ?? padValue) },
  };
}

function readUsOrSs(ds: dicomParser.DataSet, tag: string, signed: boolean): number | undefined {
  const v = ds.uint16(tag);
  return v === undefined ? undefined : signed && v >= 32768 ? v - 65536 : v;
}

/** The frames' stored words, decoded or read from native pixel data. */
async function frameWords(
  ds: dicomParser.DataSet,
  px: PixelModule,
  syntax: string,
  index: number,
  file: string,
): Promise<Uint8Array | Uint16Array> {
  const el = ds.elements.x7fe00010;
  const n = px.rows * px.cols * px.samples;
  if (el.encapsulatedPixelData) {
    const frags = el.fragments ?? [];
    if (frags.length === 0) throw new Error(`${file}: DICOM pixel data has no fragments`);
    let src: Uint8Array;
    try {
      if ((el.basicOffsetTable ?? []).length > 0) src = dicomParser.readEncapsulatedImageFrame(ds, el, index);
      else if (px.frames === 1) src = dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, 0, frags.length);
      else if (frags.length === px.frames) src = dicomParser.readEncapsulatedPixelDataFromFragments(ds, el, index, 1);
      else src = dicomParser.readEncapsulatedImageFrame(ds, el, index, dicomParser.createJPEGBasicOffsetTable(ds, el));
    } catch (err) {
      throw new Error(
        `${file}: cannot find frame ${index + 1} in the pixel data (${String((err as Error).message ?? err)})`,
      );
    }
    let words: Uint8Array | Uint16Array;
    try {
      words = await decodeCompressedFrame(syntax, src, px);
    } catch (err) {
      throw new Error(
        `${file}: cannot decode frame ${index + 1} (${syntax}): ${(err as Error).message ?? String(err)}`,
      );
    }
    if (words.length < n)
      throw new Error(`${file}: frame ${index + 1} decodes to ${words.length} samples, expected ${n}`);
    return words;
  }
  const bytesPer = px.bitsAllocated / 8;
  const frameBytes = n * bytesPer;
  const need = frameBytes * px.frames;
  if (el.length < need || el.dataOffset + need > ds.byteArray.length) {
    const have = Math.min(el.length, ds.byteArray.length - el.dataOffset);
    throw new Error(
      `${file}: DICOM pixel data is truncated (${have} bytes, need ${need} for ${px.frames} frame(s) ` +
        `of ${px.cols}x${px.rows}x${px.samples} at ${px.bitsAllocated} bits)`,
    );
  }
  const start = ds.byteArray.byteOffset + el.dataOffset + index * frameBytes;
  if (bytesPer === 1) return new Uint8Array(ds.byteArray.buffer, start, n);
  const little = syntax !== SYNTAX.explicitBE;
  if (little && start % 2 === 0) return new Uint16Array(ds.byteArray.buffer, start, n);
  const view = new DataView(ds.byteArray.buffer, start, frameBytes);
  const words = new Uint16Array(n);
  for (let i = 0; i < n; i++) words[i] = view.getUint16(i * 2, little);
  return words;
}

/** Colour to gray (Rec. 601 luma); YBR_FULL keeps Y. The codecs of JPEG and JPEG 2000 return RGB already. */
function colourToGray(words: Uint8Array | Uint16Array, px: PixelModule, space: string): Float32Array {
  const n = px.rows * px.cols;
  const max = 2 ** px.bitsStored - 1;
  const out = new Float32Array(n);
  const at = px.planar ? (i: number, c: number) => words[c * n + i] : (i: number, c: number) => words[i * 3 + c];
  for (let i = 0; i < n; i++) {
    const v = space === 'YBR_FULL' ? at(i, 0) : 0.299 * at(i, 0) + 0.587 * at(i, 1) + 0.114 * at(i, 2);
    out[i] = Math.min(1, v / max);
  }
  return out;
}

/**
 * Decode a DICOM file's frames into grayscale images in [0, 1] (see dicom/lut.ts for the display pipeline).
 * frames: 'error' (the default) refuses a multi-frame file, 'first' keeps frame 1, 'all' returns them all.
 */
export async function decodeDicomFrames(
  bytes: Uint8Array,
  file: string,
  opts: DicomDecodeOptions = {},
): Promise<GrayImage[]> {
  const { ds, syntax, px } = openPixelData(bytes, file);
  if (syntax === SYNTAX.jpegExtended && px.bitsStored > 8) {
    return decodeDicomFrames(await decompressWithGdcm(bytes, file), file, opts);
  }
  const mode = opts.frames ?? defaultFrames;
  if (opts.frame !== undefined && !(Number.isInteger(opts.frame) && opts.frame >= 0 && opts.frame < px.frames)) {
    throw new Error(`${file}: DICOM has ${px.frames} frame(s), no frame ${opts.frame + 1}`);
  }
  if (px.frames > 1 && mode === 'error' && opts.frame === undefined) {
    throw new Error(`${file}: DICOM has ${px.frames} frames; choose --frames first or --frames all`);
  }
  const first = opts.frame ?? 0;
  const count = opts.frame !== undefined ? 1 : mode === 'all' ? px.frames : 1;
  const mono = px.samples === 1;
  if (mono && !px.photometric.startsWith('MONOCHROME')) {
    throw new Error(`${file}: DICOM photometric interpretation ${px.photometric} is not read (MONOCHROME1/2, RGB)`);
  }
  const decodedRgb =
    syntax === SYNTAX.jpegBaseline ||
    syntax === SYNTAX.jpegExtended ||
    syntax === SYNTAX.j2k ||
    syntax === SYNTAX.j2kLossless;
  const space = decodedRgb ? 'RGB' : px.photometric;
  if (!mono && space !== 'RGB' && space !== 'YBR_FULL') {
    throw new Error(`${file}: DICOM photometric interpretation ${px.photometric} is not read for ${syntax}`);
  }
  const pipeline = mono ? displayPipeline(ds, px, file) : undefined;
  const pxForWords = NATIVE_SYNTAXES.has(syntax) ? px : { ...px, planar: false };
  const images: GrayImage[] = [];
  for (let k = first; k < first + count; k++) {
    const words = await frameWords(ds, px, syntax, k, file);
    const data = pipeline ? toDisplay(words, pipeline) : colourToGray(words, pxForWords, space);
    images.push({ width: px.cols, height: px.rows, data, bits: px.bitsStored > 8 ? 16 : 8 });
  }
  return images;
}

/**
 * Decode one image: a single-frame file, frame 1 with frames 'first' (and 'all': one path gives one image here;
 * loaders turn a file into one record per frame, each naming its `frame`), or the frame opts.frame names.
 */
export async function decodeDicom(bytes: Uint8Array, file: string, opts: DicomDecodeOptions = {}): Promise<GrayImage> {
  const mode = opts.frames ?? defaultFrames;
  return (await decodeDicomFrames(bytes, file, { ...opts, frames: mode === 'all' ? 'first' : mode }))[0];
}

/** One frame of a grayscale DICOM as stored words, with the display value of every possible word. */
export interface StoredFrame {
  words: Uint8Array | Uint16Array;
  /** display[w & (display.length - 1)] is word w's value in [0, 1]. */
  display: Float32Array;
  image: GrayImage;
  bitsAllocated: number;
  bitsStored: number;
  frames: number;
  syntax: string;
}

/** Parse a file whose pixels are to be decoded: a supported transfer syntax and Pixel Data, or an error naming it. */
function openPixelData(bytes: Uint8Array, file: string) {
  const ds = parseDicomBytes(bytes, file);
  const syntax = transferSyntaxOf(ds);
  if (!NATIVE_SYNTAXES.has(syntax) && !COMPRESSED_SYNTAXES.has(syntax)) {
    throw new Error(`${file}: unsupported DICOM transfer syntax ${syntax}`);
  }
  if (!ds.elements.x7fe00010) throw new Error(`${file}: DICOM has no Pixel Data (7FE0,0010)`);
  return { ds, syntax, px: pixelModule(ds, file) };
}

/** For writers that change some pixels and keep the rest bit for bit (mask --format dicom); frame from 0. */
export async function decodeDicomStored(bytes: Uint8Array, file: string, frame = 0): Promise<StoredFrame> {
  const { ds, syntax, px } = openPixelData(bytes, file);
  if (syntax === SYNTAX.jpegExtended && px.bitsStored > 8)
    return decodeDicomStored(await decompressWithGdcm(bytes, file), file, frame);
  if (!(Number.isInteger(frame) && frame >= 0 && frame < px.frames)) {
    throw new Error(`${file}: DICOM has ${px.frames} frame(s), no frame ${frame + 1}`);
  }
  if (px.samples !== 1 || !px.photometric.startsWith('MONOCHROME')) {
    throw new Error(`${file}: DICOM ${px.photometric} is not grayscale; only grayscale DICOM is written back`);
  }
  const words = await frameWords(ds, px, syntax, frame, file);
  const own = words.slice(0, px.rows * px.cols);
  const display = displayTable(own, displayPipeline(ds, px, file));
  const mask = display.length - 1;
  const data = new Float32Array(own.length);
  for (let i = 0; i < own.length; i++) data[i] = display[own[i] & mask];
  return {
    words: own,
    display,
    syntax,
    frames: px.frames,
    bitsAllocated: px.bitsAllocated,
    bitsStored: px.bitsStored,
    image: { width: px.cols, height: px.rows, data, bits: px.bitsStored > 8 ? 16 : 8 },
  };
}
