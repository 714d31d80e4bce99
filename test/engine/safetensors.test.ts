import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from '../../src/engine/index.js';

function file(header: object, data: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

test('encode/decode round-trips float32 and int64 tensors with metadata, sorted by name, 8-byte aligned', () => {
  const tensors: NamedTensor[] = [
    { name: 'b.weight', dtype: 'float32', shape: [2, 3], data: Float32Array.of(1, -2, 3.5, 0, 1e-30, -7) },
    { name: 'a.num_batches_tracked', dtype: 'int64', shape: [], data: BigInt64Array.of(123456789012n) },
  ];
  const bytes = encodeSafetensors(tensors, { arch: 'x' });
  const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  assert.equal((8 + headerLength) % 8, 0);
  const decoded = decodeSafetensors(bytes, 'mem');
  assert.deepEqual(decoded.metadata, { arch: 'x' });
  assert.deepEqual(
    decoded.tensors.map((t) => t.name),
    ['a.num_batches_tracked', 'b.weight'],
  );
  assert.deepEqual(decoded.tensors[1], tensors[0]);
  assert.deepEqual(decoded.tensors[0], tensors[1]);
});

test('F16, BF16 and F64 tensors decode to float32', () => {
  const data = new Uint8Array(2 * 3 + 2 * 2 + 8);
  const view = new DataView(data.buffer);
  [0x3c00, 0xc000, 0x3555].forEach((h, i) => view.setUint16(i * 2, h, true)); // 1, -2, ~0.333 in half precision
  [0x3f80, 0xc0a0].forEach((h, i) => view.setUint16(6 + i * 2, h, true)); // 1, -5 in bfloat16
  view.setFloat64(10, 0.1, true);
  const decoded = decodeSafetensors(
    file(
      {
        h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
        b: { dtype: 'BF16', shape: [2], data_offsets: [6, 10] },
        d: { dtype: 'F64', shape: [1], data_offsets: [10, 18] },
      },
      data,
    ),
    'mem',
  );
  const get = (n: string) => Array.from(decoded.tensors.find((t) => t.name === n)!.data as Float32Array);
  assert.deepEqual(get('h').slice(0, 2), [1, -2]);
  assert.ok(Math.abs(get('h')[2] - 1 / 3) < 1e-3);
  assert.deepEqual(get('b'), [1, -5]);
  assert.equal(get('d')[0], Math.fround(0.1));
});

test('malformed files are refused naming the source and the problem', () => {
  assert.throws(() => decodeSafetensors(new Uint8Array(4), 'x.safetensors'), {
    message: 'x.safetensors: not a valid safetensors file (shorter than its 8-byte header length)',
  });
  assert.throws(
    () => decodeSafetensors(file({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, new Uint8Array(8)), 'y'),
    {
      message:
        'y: not a valid safetensors file (tensor "w" has data_offsets [0,4] that do not fit shape [2] and the file)',
    },
  );
  assert.throws(
    () => decodeSafetensors(file({ w: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), 'z'),
    /tensor "w" has dtype U8/,
  );
  const bad = file({}, new Uint8Array(0));
  bad[8] = 0x7b + 1;
  assert.throws(() => decodeSafetensors(bad, 'j'), /j: not a valid safetensors file \(header is not JSON/);
});
