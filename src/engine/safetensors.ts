import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/index.js';
import type { NamedTensor } from './native.js';

/**
 * safetensors (https://github.com/huggingface/safetensors): 8-byte little-endian header length, a JSON header
 * {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__: {string: string}}, then the raw
 * little-endian data. We write F32 and I64; we read F32, F64, F16, BF16 (converted to float32) and I64.
 * F32 and I64 are copied as they lie in memory, which assumes a little-endian host (x86-64, arm64).
 */
export interface SafetensorsFile {
  tensors: NamedTensor[];
  metadata: Record<string, string>;
}

const WRITE_DTYPE = { float32: 'F32', int64: 'I64' } as const;
const BYTES: Record<string, number> = { F32: 4, F64: 8, F16: 2, BF16: 2, I64: 8 };

export function encodeSafetensors(tensors: readonly NamedTensor[], metadata: Record<string, string>): Uint8Array {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of sorted) {
    header[t.name] = {
      dtype: WRITE_DTYPE[t.dtype],
      shape: t.shape,
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // data starts 8-byte aligned
  const head = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const t of sorted) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

export async function writeSafetensors(
  path: string,
  tensors: readonly NamedTensor[],
  metadata: Record<string, string>,
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

/** F64, F16 or BF16 little-endian bytes to float32. */
function toFloat32(dtype: string, bytes: Uint8Array, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) {
    if (dtype === 'F64') out[i] = view.getFloat64(i * 8, true);
    else if (dtype === 'F16') out[i] = halfToFloat(view.getUint16(i * 2, true));
    else bits[i] = view.getUint16(i * 2, true) << 16; // BF16 is the top half of a float32
  }
  return out;
}

export function decodeSafetensors(input: Uint8Array, source: string): SafetensorsFile {
  // A plain Uint8Array view, so slice() copies (Buffer's slice does not) into an aligned buffer.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const fail = (why: string): never => {
    throw new Error(`${source}: not a valid safetensors file (${why})`);
  };
  if (bytes.length < 8) fail('shorter than its 8-byte header length');
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > bytes.length - 8) fail(`header length ${headerLength} exceeds the file size ${bytes.length}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString('utf8'));
  } catch (err) {
    return fail(`header is not JSON: ${(err as Error).message}`);
  }
  const data = bytes.subarray(8 + headerLength);
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors: NamedTensor[] = [];
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = entry as { dtype: string; shape: number[]; data_offsets: [number, number] };
    if (!(dtype in BYTES)) fail(`tensor "${name}" has dtype ${dtype}; supported: ${Object.keys(BYTES).join(', ')}`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (!Array.isArray(offsets) || offsets[1] - offsets[0] !== count * BYTES[dtype] || offsets[1] > data.length) {
      fail(
        `tensor "${name}" has data_offsets ${JSON.stringify(offsets)} that do not fit shape [${shape}] and the file`,
      );
    }
    // A fresh, aligned copy: Buffer's slice() is a view into a shared pool, unaligned for 4- and 8-byte types.
    const raw = new Uint8Array(offsets[1] - offsets[0]);
    raw.set(data.subarray(offsets[0], offsets[1]));
    if (dtype === 'I64') {
      tensors.push({ name, dtype: 'int64', shape, data: new BigInt64Array(raw.buffer) });
    } else {
      tensors.push({
        name,
        dtype: 'float32',
        shape,
        data: dtype === 'F32' ? new Float32Array(raw.buffer) : toFloat32(dtype, raw, count),
      });
    }
  }
  return { tensors, metadata };
}

export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new Error(`${path}: cannot read weights (${(err as Error).message})`);
  }
  return decodeSafetensors(bytes, path);
}
