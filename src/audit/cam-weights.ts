import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

/** Classifier weights as rows: one row of K channel weights per output class. */
export interface WeightMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Decode a NumPy .npy file (little-endian float32/float64, C order, 1-D or 2-D). */
export function decodeNpy(bytes: Uint8Array, file: string): WeightMatrix {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY')
    throw new Error(`${file}: not a .npy file (bad magic)`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + headerLen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`${file}: unreadable .npy header`);
  if (descr !== '<f4' && descr !== '<f8')
    throw new Error(`${file}: .npy dtype ${descr}; float32 or float64 (little-endian) is needed`);
  if (fortran === 'True')
    throw new Error(`${file}: Fortran-ordered .npy is not supported; save with np.ascontiguousarray`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (shape.length < 1 || shape.length > 2)
    throw new Error(`${file}: .npy shape (${shape.join(', ')}); 1-D [K] or 2-D [classes, K] weights are needed`);
  const count = shape.reduce((a, b) => a * b, 1);
  const width = descr === '<f4' ? 4 : 8;
  const body = start + headerLen;
  if (buf.length < body + count * width)
    throw new Error(`${file}: .npy data is shorter than its shape (${shape.join(', ')})`);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++)
    data[i] = width === 4 ? buf.readFloatLE(body + 4 * i) : buf.readDoubleLE(body + 8 * i);
  return shape.length === 1 ? { rows: 1, cols: shape[0], data } : { rows: shape[0], cols: shape[1], data };
}

/** JSON weights: [w1..wK], [[...], ...] (one row per class), or an object with a "weight"/"weights" field. */
export function parseJsonWeights(value: unknown, file: string): WeightMatrix {
  let v = value;
  if (v && typeof v === 'object' && !Array.isArray(v))
    v = (v as Record<string, unknown>).weights ?? (v as Record<string, unknown>).weight;
  const bad = () =>
    new Error(`${file}: CAM weights must be a list of numbers, a list of equal-length lists, or {"weights": ...}`);
  if (!Array.isArray(v) || v.length === 0) throw bad();
  const rows: unknown[][] = Array.isArray(v[0]) ? (v as unknown[][]) : [v];
  const cols = rows[0].length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== cols) throw bad();
    row.forEach((x, c) => {
      if (typeof x !== 'number' || !Number.isFinite(x)) throw bad();
      data[r * cols + c] = x;
    });
  });
  return { rows: rows.length, cols, data };
}

export async function readCamWeights(file: string): Promise<WeightMatrix> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new Error(`${file}: cannot read CAM weights (${(err as Error).message})`);
  }
  if (extname(file).toLowerCase() === '.npy') return decodeNpy(bytes, file);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseJsonWeights(json, file);
}

/** The weight row of one class (a single row serves every class). */
export function weightRow(w: WeightMatrix, row: number, file: string): Float64Array {
  if (w.rows === 1) return w.data.slice(0, w.cols);
  if (row < 0 || row >= w.rows) throw new Error(`${file}: no weight row ${row} (${w.rows} rows)`);
  return w.data.slice(row * w.cols, (row + 1) * w.cols);
}
