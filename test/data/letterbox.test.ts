import { test } from 'node:test';
import assert from 'node:assert/strict';
import { letterbox, toModelBox, toOriginalBox } from '../../src/data/letterbox.js';

test('letterbox keeps aspect, pads with 0 and preserves a constant image', () => {
  const img = { width: 200, height: 100, data: new Float32Array(200 * 100).fill(0.5), bits: 8 as const };
  const { image, transform } = letterbox(img, 64);
  assert.equal(image.width, 64);
  assert.equal(transform.scale, 64 / 200);
  assert.equal(transform.offsetX, 0);
  assert.equal(transform.offsetY, 16);
  for (let y = 0; y < 64; y++)
    for (let x = 0; x < 64; x++) {
      const v = image.data[y * 64 + x];
      if (y < 16 || y >= 48) assert.equal(v, 0);
      else assert.ok(Math.abs(v - 0.5) < 1e-5, `(${x},${y}) ${v}`);
    }
});

test('box mapping round-trips and lands on the same content', () => {
  const w = 120,
    h = 300;
  const data = new Float32Array(w * h);
  const box = { x: 30, y: 150, w: 40, h: 60 };
  for (let y = box.y; y < box.y + box.h; y++) for (let x = box.x; x < box.x + box.w; x++) data[y * w + x] = 1;
  const { image, transform } = letterbox({ width: w, height: h, data, bits: 8 }, 100);
  const m = toModelBox(box, transform);
  const back = toOriginalBox(m, transform);
  for (const k of ['x', 'y', 'w', 'h'] as const) assert.ok(Math.abs(back[k] - box[k]) < 1e-9);
  // Centre of the mapped box is bright, well outside it is dark.
  const cx = Math.floor(m.x + m.w / 2),
    cy = Math.floor(m.y + m.h / 2);
  assert.ok(image.data[cy * 100 + cx] > 0.9);
  assert.ok(image.data[Math.floor(m.y - 5) * 100 + cx] < 0.1);
});

test('normalize applies (v - mean) / std', () => {
  const img = { width: 4, height: 4, data: new Float32Array(16).fill(1), bits: 8 as const };
  const { image } = letterbox(img, 4, { normalize: { mean: 0.5, std: 0.25 } });
  for (const v of image.data) assert.ok(Math.abs(v - 2) < 1e-5);
});
