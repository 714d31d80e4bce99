import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import { readImage } from '../../src/data/read-image.js';
import { loadDataset } from '../../src/data/load.js';
import { letterbox, toModelInput } from '../../src/data/letterbox.js';
import { datasetSizes } from '../../src/labels/formats/index.js';
import { gradient, tempDir, writePng } from './helpers/fixtures.js';

test('readImage decodes 8- and 16-bit gray, RGB and gray+alpha PNGs to the values written', async () => {
  const dir = await tempDir();
  const w = 23,
    h = 11,
    n = w * h;
  const u8 = Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256);
  const u16 = Uint16Array.from({ length: n }, (_, i) => (i * 7919) % 65536);
  await sharp(Buffer.from(u8), { raw: { width: w, height: h, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toFile(join(dir, 'g8.png'));
  await sharp(u16, { raw: { width: w, height: h, channels: 1 } })
    .toColourspace('grey16')
    .png()
    .toFile(join(dir, 'g16.png'));
  const rgb = Buffer.alloc(n * 3);
  for (let i = 0; i < n; i++) rgb.fill(u8[i], i * 3, i * 3 + 3);
  await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(join(dir, 'rgb.png'));
  const ga = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    ga[i * 2] = u8[i];
    ga[i * 2 + 1] = 200;
  }
  await sharp(ga, { raw: { width: w, height: h, channels: 2 } })
    .png()
    .toFile(join(dir, 'ga.png'));
  const g8 = await readImage(join(dir, 'g8.png'));
  assert.deepEqual([g8.width, g8.height, g8.bits], [w, h, 8]);
  assert.ok(g8.data.every((v, i) => v === Math.fround(u8[i] / 255)));
  const g16 = await readImage(join(dir, 'g16.png'));
  assert.deepEqual([g16.width, g16.height, g16.bits], [w, h, 16]);
  assert.ok(g16.data.every((v, i) => v === Math.fround(u16[i] / 65535)));
  for (const f of ['rgb.png', 'ga.png']) {
    const img = await readImage(join(dir, f));
    assert.equal(img.data.length, n, f);
    assert.ok(
      img.data.every((v, i) => v === Math.fround(u8[i] / 255)),
      `${f}: a gray pixel changed value`,
    );
  }
});

test("loaded records keep each image's size and bit depth: box sizes need no second header read", async () => {
  const dir = await tempDir();
  await writePng(join(dir, 'a.png'), gradient(31, 17));
  await writePng(join(dir, 'sub/b.png'), gradient(12, 40, 3, 16));
  const ds = await loadDataset(dir);
  assert.deepEqual(
    ds.records.map((r) => [r.id, r.width, r.height, r.bits]),
    [
      ['a.png', 31, 17, 8],
      ['sub/b.png', 12, 40, 16],
    ],
  );
  // With the files gone, only sizes kept from the loader's one header read can answer.
  await rm(join(dir, 'a.png'));
  await rm(join(dir, 'sub/b.png'));
  assert.deepEqual(await datasetSizes(ds), [
    { id: 'a.png', width: 31, height: 17 },
    { id: 'sub/b.png', width: 12, height: 40 },
  ]);
});

test('toModelInput: one letterbox gives both the normalised input and the overlay pixels, equal to two letterboxes', () => {
  const img = gradient(53, 29, 5);
  const spec = { size: 24, mean: 0.45, std: 0.2 };
  const m = toModelInput(img, spec);
  const normed = letterbox(img, spec.size, { normalize: { mean: spec.mean, std: spec.std } });
  const raw = letterbox(img, spec.size);
  assert.deepEqual(m.input, normed.image.data);
  assert.deepEqual(m.pixels, raw.image.data);
  assert.deepEqual(m.transform, raw.transform);
});
