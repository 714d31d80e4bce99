import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import type { NamedTensor } from './native.js';
import { storageRef, unpickle, type StorageRef, type TensorRef } from './unpickle.js';

/**
 * PyTorch checkpoints (`torch.save(model.state_dict())`, torchvision's `densenet121-*.pth`) as named tensors:
 * the zip format of torch >= 1.6 (ARCHIVE/data.pkl + ARCHIVE/data/<key>) and the older sequence of pickles
 * followed by raw storages. Float tensors come out as float32, integer ones as int64. Read with a restricted
 * unpickler (unpickle.ts): nothing in the file is executed.
 */
export async function readTorchCheckpoint(path: string): Promise<NamedTensor[]> {
  const data = new Uint8Array(await readFile(path));
  const isZip = data[0] === 0x50 && data[1] === 0x4b;
  return isZip ? readZip(data, path) : readLegacy(data, path);
}

/** Whether a file's first bytes look like a PyTorch checkpoint (zip, or a protocol-2 pickle). */
export function looksLikeTorchCheckpoint(head: Uint8Array): boolean {
  return (head[0] === 0x50 && head[1] === 0x4b) || (head[0] === 0x80 && head[1] === 0x02);
}

const BYTES: Record<string, number> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

function readZip(data: Uint8Array, path: string): NamedTensor[] {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(data);
  } catch (err) {
    throw new Error(`${path}: not a readable zip (${(err as Error).message})`);
  }
  const pkl = Object.keys(files).find((f) => /^[^/]+\/data\.pkl$/.test(f));
  if (!pkl) throw new Error(`${path}: a zip without */data.pkl is not a PyTorch checkpoint`);
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = files[`${prefix}byteorder`];
  if (order && new TextDecoder().decode(order).trim() !== 'little')
    throw new Error(`${path}: big-endian checkpoints are not supported`);
  const refs: StorageRef[] = [];
  const { value } = unpickle(files[pkl], path, (pid) => {
    const r = storageRef(pid, path);
    refs.push(r);
    return r;
  });
  const storage = (ref: StorageRef) => {
    const bytes = files[`${prefix}data/${ref.key}`];
    if (!bytes) throw new Error(`${path}: storage ${ref.key} is missing from the archive`);
    return bytes;
  };
  return toTensors(value, storage, path);
}

function readLegacy(data: Uint8Array, path: string): NamedTensor[] {
  const none = () => {
    throw new Error(`${path}: unexpected persistent id in the header`);
  };
  let pos = 0;
  const next = (persistent: (pid: unknown) => unknown = none) => {
    const r = unpickle(data, path, persistent, pos);
    pos = r.end;
    return r.value;
  };
  const magic = next();
  if (magic !== Number(0x1950a86a20f9469cfc6cn)) throw new Error(`${path}: not a PyTorch checkpoint (no magic number)`);
  next(); // protocol version
  next(); // sys_info: little-endian and type sizes are what torch has written since 0.4
  const refs = new Map<string, StorageRef>();
  const value = next((pid) => {
    const r = storageRef(pid, path);
    if ((pid as unknown[])[5] !== null && (pid as unknown[])[5] !== undefined)
      throw new Error(`${path}: storage views are not supported`);
    refs.set(r.key, r);
    return r;
  });
  const keys = next() as string[];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const raw = new Map<string, Uint8Array>();
  for (const key of keys) {
    const ref = refs.get(key);
    if (!ref) throw new Error(`${path}: storage ${key} is listed but never used`);
    const numel = Number(view.getBigInt64(pos, true));
    pos += 8;
    const nbytes = numel * BYTES[ref.dtype];
    if (pos + nbytes > data.length) throw new Error(`${path}: truncated (storage ${key} needs ${nbytes} bytes)`);
    raw.set(key, data.subarray(pos, pos + nbytes));
    pos += nbytes;
  }
  return toTensors(value, (ref) => raw.get(ref.key) ?? new Uint8Array(0), path);
}

/** The state_dict inside what was pickled: the dict itself, or its 'state_dict' / 'model' entry; DataParallel's 'module.' dropped. */
function toTensors(value: unknown, storage: (ref: StorageRef) => Uint8Array, path: string): NamedTensor[] {
  let dict = value instanceof Map ? value : undefined;
  for (const key of ['state_dict', 'model'])
    if (dict?.get(key) instanceof Map) dict = dict.get(key) as Map<string, unknown>;
  if (!dict) throw new Error(`${path}: holds no state_dict (a dict of tensors)`);
  const out: NamedTensor[] = [];
  for (const [name, t] of dict) {
    if ((t as TensorRef)?.kind !== 'tensor') continue;
    out.push(materialise(name.replace(/^module\./, ''), t as TensorRef, storage((t as TensorRef).storage), path));
  }
  if (out.length === 0) throw new Error(`${path}: holds no tensors`);
  return out;
}

function materialise(name: string, t: TensorRef, bytes: Uint8Array, path: string): NamedTensor {
  const dtype = t.storage.dtype;
  const size = BYTES[dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const numel = t.shape.reduce((a, b) => a * b, 1);
  if (dtype === 'float32' && isContiguous(t) && (t.offset + numel) * 4 <= bytes.length) {
    return {
      name,
      dtype: 'float32',
      shape: t.shape,
      data: new Float32Array(bytes.slice(t.offset * 4, (t.offset + numel) * 4).buffer),
    };
  }
  const read = readerFor(dtype, view, name, path);
  const isInt = /^(int|uint|bool)/.test(dtype);
  const data = isInt ? new BigInt64Array(numel) : new Float32Array(numel);
  // Walk the view in row-major order through its strides (state_dict tensors are nearly always contiguous).
  const index = new Array<number>(t.shape.length).fill(0);
  for (let i = 0; i < numel; i++) {
    let element = t.offset;
    for (let d = 0; d < index.length; d++) element += index[d] * t.stride[d];
    if ((element + 1) * size > bytes.length) throw new Error(`${path}: tensor "${name}" reaches past its storage`);
    const v = read(element * size);
    if (isInt) (data as BigInt64Array)[i] = BigInt(v);
    else (data as Float32Array)[i] = v;
    for (let d = index.length - 1; d >= 0; d--) {
      if (++index[d] < t.shape[d]) break;
      index[d] = 0;
    }
  }
  return { name, dtype: isInt ? 'int64' : 'float32', shape: t.shape, data };
}

function isContiguous(t: TensorRef): boolean {
  let expected = 1;
  for (let d = t.shape.length - 1; d >= 0; d--) {
    if (t.shape[d] !== 1 && t.stride[d] !== expected) return false;
    expected *= t.shape[d];
  }
  return true;
}

function readerFor(dtype: string, v: DataView, name: string, path: string): (byte: number) => number {
  switch (dtype) {
    case 'float32':
      return (b) => v.getFloat32(b, true);
    case 'float64':
      return (b) => v.getFloat64(b, true);
    case 'float16':
      return (b) => halfToFloat(v.getUint16(b, true));
    case 'bfloat16':
      return (b) => new Float32Array(new Uint32Array([v.getUint16(b, true) << 16]).buffer)[0];
    case 'int64':
      return (b) => Number(v.getBigInt64(b, true));
    case 'int32':
      return (b) => v.getInt32(b, true);
    case 'int16':
      return (b) => v.getInt16(b, true);
    case 'int8':
      return (b) => v.getInt8(b);
    case 'uint8':
    case 'bool':
      return (b) => v.getUint8(b);
    default:
      throw new Error(`${path}: tensor "${name}" has unsupported dtype ${dtype}`);
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f,
    frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
