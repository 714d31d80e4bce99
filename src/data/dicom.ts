import dicomParser from 'dicom-parser';
import type { GrayImage } from './image.js';

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
const EXPLICIT_BE = '1.2.840.10008.1.2.2';
const SUPPORTED = new Set([IMPLICIT_LE, EXPLICIT_LE, EXPLICIT_BE]);

/** True when the bytes carry the DICOM part-10 magic ("DICM" after the 128-byte preamble). */
export function isDicomBytes(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

/**
 * Decode an uncompressed single-frame grayscale DICOM into [0, 1].
 * Order as in PS3.3 C.11: stored value -> Rescale Slope/Intercept -> VOI window (or min/max) -> MONOCHROME1 inversion.
 */
export function decodeDicom(bytes: Uint8Array, file: string): GrayImage {
  let ds: dicomParser.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String((err as { exception?: string }).exception ?? err);
    throw new Error(`${file}: cannot parse DICOM (${msg})`);
  }
  const syntax = (ds.string('x00020010') ?? IMPLICIT_LE).replace(/\0/g, '').trim();
  if (!SUPPORTED.has(syntax)) {
    throw new Error(`${file}: unsupported DICOM transfer syntax ${syntax} (only uncompressed implicit/explicit little endian and explicit big endian are read)`);
  }
  const rows = ds.uint16('x00280010');
  const cols = ds.uint16('x00280011');
  if (!rows || !cols) throw new Error(`${file}: DICOM has no Rows/Columns`);
  const samples = ds.uint16('x00280002') ?? 1;
  if (samples !== 1) throw new Error(`${file}: DICOM has ${samples} samples per pixel; only grayscale is supported`);
  const bitsAllocated = ds.uint16('x00280100') ?? 16;
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new Error(`${file}: DICOM BitsAllocated ${bitsAllocated} is not supported (8 or 16)`);
  const bitsStored = ds.uint16('x00280101') ?? bitsAllocated;
  const signed = (ds.uint16('x00280103') ?? 0) === 1;
  const photometric = (ds.string('x00280004') ?? 'MONOCHROME2').trim();
  if (photometric !== 'MONOCHROME1' && photometric !== 'MONOCHROME2') {
    throw new Error(`${file}: DICOM photometric interpretation ${photometric} is not grayscale`);
  }
  const pixel = ds.elements.x7fe00010;
  if (!pixel) throw new Error(`${file}: DICOM has no Pixel Data`);
  if (pixel.encapsulatedPixelData) throw new Error(`${file}: DICOM pixel data is encapsulated (compressed), transfer syntax ${syntax}`);
  const n = rows * cols;
  const bytesPer = bitsAllocated / 8;
  if (pixel.length < n * bytesPer) throw new Error(`${file}: DICOM pixel data is truncated (${pixel.length} bytes, need ${n * bytesPer})`);

  const view = new DataView(bytes.buffer, bytes.byteOffset + pixel.dataOffset, n * bytesPer);
  const little = syntax !== EXPLICIT_BE;
  const slope = ds.floatString('x00281053') ?? 1;
  const intercept = ds.floatString('x00281052') ?? 0;
  const mask = bitsStored >= 32 ? 0xffffffff : (1 << bitsStored) - 1;
  const signBit = 1 << (bitsStored - 1);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = bitsAllocated === 16 ? view.getUint16(i * 2, little) : view.getUint8(i);
    v &= mask;
    if (signed && (v & signBit)) v -= mask + 1;
    values[i] = v * slope + intercept;
  }

  const center = ds.floatString('x00281050', 0);
  const width = ds.floatString('x00281051', 0);
  const out = new Float32Array(n);
  if (center !== undefined && width !== undefined && width >= 1) {
    // PS3.3 C.11.2.1.2.1 linear VOI function.
    const lo = center - 0.5 - (width - 1) / 2;
    const hi = center - 0.5 + (width - 1) / 2;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      out[i] = x <= lo ? 0 : x > hi ? 1 : width === 1 ? 1 : (x - (center - 0.5)) / (width - 1) + 0.5;
    }
  } else {
    let min = Infinity, max = -Infinity;
    for (let i = 0; i < n; i++) { if (values[i] < min) min = values[i]; if (values[i] > max) max = values[i]; }
    const span = max - min;
    for (let i = 0; i < n; i++) out[i] = span > 0 ? (values[i] - min) / span : 0;
  }
  if (photometric === 'MONOCHROME1') for (let i = 0; i < n; i++) out[i] = 1 - out[i];
  for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, out[i]));
  return { width: cols, height: rows, data: out, bits: bitsAllocated === 16 ? 16 : 8 };
}
