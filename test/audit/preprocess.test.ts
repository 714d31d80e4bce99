import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  prepareInput,
  resizeToModel,
  resizeVariants,
  checkPreprocess,
  stretch,
  type Preprocess,
} from '../../src/audit/preprocess.js';
import type { GrayImage } from '../../src/data/image.js';

function image(width: number, height: number, f: (x: number, y: number) => number): GrayImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, data, bits: 8 };
}

const base: Preprocess = { size: 32, channels: 1, mean: [0], std: [1], resize: 'stretch' };

test('stretch keeps a constant image constant and fills the whole square', () => {
  const out = stretch(
    image(100, 40, () => 0.3),
    32,
  );
  assert.equal(out.length, 32 * 32);
  for (const v of out) assert.ok(Math.abs(v - 0.3) < 1e-6);
});

test('stretch maps a box by each axis scale; letterbox keeps aspect and pads with 0', () => {
  // Bright block at x 50..99, y 0..19 of a 100 x 40 image: the right half, top half.
  const img = image(100, 40, (x, y) => (x >= 50 && y < 20 ? 1 : 0));
  const s = resizeToModel(img, base);
  const box = s.toModel({ x: 50, y: 0, w: 50, h: 20 });
  assert.deepEqual([box.x, box.y, box.w, box.h], [16, 0, 16, 16]);
  assert.ok(s.gray[5 * 32 + 28] > 0.99 && s.gray[5 * 32 + 3] < 0.01 && s.gray[28 * 32 + 28] < 0.01);
  const l = resizeToModel(img, { ...base, resize: 'letterbox' });
  const lb = l.toModel({ x: 50, y: 0, w: 50, h: 20 });
  assert.ok(Math.abs(lb.w - 16) < 1e-9 && Math.abs(lb.h - 6.4) < 1e-9);
  assert.equal(l.gray[0], 0, 'the padding above the image is 0');
  assert.ok(lb.y > 0, 'letterboxed content is centred vertically');
});

test('normalisation per channel and replication to 3 channels, CHW', () => {
  const img = image(8, 8, () => 0.5);
  const x = prepareInput(img, { size: 4, channels: 3, mean: [0.5, 0.25, 0], std: [1, 0.5, 0.25], resize: 'stretch' });
  assert.equal(x.length, 3 * 16);
  assert.ok(Math.abs(x[0] - 0) < 1e-6 && Math.abs(x[16] - 0.5) < 1e-6 && Math.abs(x[32] - 2) < 1e-6);
  const one = prepareInput(img, { size: 4, channels: 1, mean: [0.25], std: [0.5], resize: 'stretch' });
  assert.equal(one.length, 16);
  assert.ok(Math.abs(one[7] - 0.5) < 1e-6);
});

test('bad preprocessing settings are rejected by name', () => {
  assert.throws(() => checkPreprocess({ ...base, mean: [0, 0] }), /mean/);
  assert.throws(() => checkPreprocess({ ...base, std: [0] }), /std/);
  assert.throws(() => checkPreprocess({ ...base, channels: 2 as 1 }), /channels/);
  assert.throws(() => checkPreprocess({ ...base, resize: 'crop' as 'stretch' }), /did you mean/);
});

test('resizeVariants gives exactly what resizing each covered copy gives (stretch, centre crop, letterbox)', () => {
  const img = image(211, 157, (x, y) => ((x * 7 + y * 13) % 29) / 29);
  const cover = (rects: { x: number; y: number; w: number; h: number }[]) => {
    const data = img.data.slice();
    for (const r of rects)
      for (let y = Math.max(0, Math.floor(r.y)); y < Math.min(img.height, Math.ceil(r.y + r.h)); y++)
        for (let x = Math.max(0, Math.floor(r.x)); x < Math.min(img.width, Math.ceil(r.x + r.w)); x++)
          data[y * img.width + x] = 0;
    return { image: { ...img, data }, changed: rects };
  };
  const variants = [
    cover([{ x: 3, y: 4, w: 20, h: 11 }]),
    // two far apart, one over the edge, one with fractional sides
    cover([
      { x: 190, y: 140, w: 40, h: 40 },
      { x: 60.5, y: 70.25, w: 9.5, h: 3.5 },
    ]),
    cover([]),
  ];
  for (const p of [
    { ...base, size: 64 },
    { ...base, size: 300 },
    { ...base, size: 48, centerCrop: 0.875 },
    { ...base, size: 48, resize: 'letterbox' as const },
  ]) {
    const got = resizeVariants(img, variants, p);
    const want = [img, ...variants.map((v) => v.image)].map((im) => resizeToModel(im, p).gray);
    assert.equal(got.length, want.length);
    got.forEach((g, i) => assert.deepEqual(g, want[i], `${JSON.stringify(p)}, image ${i}`));
    assert.notDeepEqual(got[2], got[0], 'the covers changed the input');
  }
});
