import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { encodeGrayPng } from '../../src/data/image.js';
import { readImage } from '../../src/data/read-image.js';
import { loadDataset } from '../../src/data/load.js';
import { letterbox, toModelInput } from '../../src/data/letterbox.js';
import { datasetSizes } from '../../src/labels/formats/index.js';
import { gradient, tempDir, writePng, writeText } from './helpers/fixtures.js';

test('readImage decodes 8- and 16-bit gray, RGB and gray+alpha PNGs to the values written', async () => {
  const dir = await tempDir();
  const w = 23, h = 11, n = w * h;
  const u8 = Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256);
  const u16 = Uint16Array.from({ length: n }, (_, i) => (i * 7919) % 65536);
  await sharp(Buffer.from(u8), { raw: { width: w, height: h, channels: 1 } }).toColourspace('b-w').png().toFile(join(dir, 'g8.png'));
  await sharp(u16, { raw: { width: w, height: h, channels: 1 } }).toColourspace('grey16').png().toFile(join(dir, 'g16.png'));
  const rgb = Buffer.alloc(n * 3);
  for (let i = 0; i < n; i++) rgb.fill(u8[i], i * 3, i * 3 + 3);
  await sharp(rgb, { raw: { width: w, height: h, channels: 3 } }).png().toFile(join(dir, 'rgb.png'));
  const ga = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) { ga[i * 2] = u8[i]; ga[i * 2 + 1] = 200; }
  await sharp(ga, { raw: { width: w, height: h, channels: 2 } }).png().toFile(join(dir, 'ga.png'));
  const g8 = await readImage(join(dir, 'g8.png'));
  assert.deepEqual([g8.width, g8.height, g8.bits], [w, h, 8]);
  assert.ok(g8.data.every((v, i) => v === Math.fround(u8[i] / 255)));
  const g16 = await readImage(join(dir, 'g16.png'));
  assert.deepEqual([g16.width, g16.height, g16.bits], [w, h, 16]);
  assert.ok(g16.data.every((v, i) => v === Math.fround(u16[i] / 65535)));
  for (const f of ['rgb.png', 'ga.png']) {
    const img = await readImage(join(dir, f));
    assert.equal(img.data.length, n, f);
    assert.ok(img.data.every((v, i) => v === Math.fround(u8[i] / 255)), `${f}: a gray pixel changed value`);
  }
});

test('loaded records keep each image\'s size and bit depth: box sizes need no second header read', async () => {
  const dir = await tempDir();
  await writePng(join(dir, 'a.png'), gradient(31, 17));
  await writePng(join(dir, 'sub/b.png'), gradient(12, 40, 3, 16));
  const ds = await loadDataset(dir);
  assert.deepEqual(ds.records.map((r) => [r.id, r.width, r.height, r.bits]), [['a.png', 31, 17, 8], ['sub/b.png', 12, 40, 16]]);
  // With the files gone, only sizes kept from the loader's one header read can answer.
  await rm(join(dir, 'a.png'));
  await rm(join(dir, 'sub/b.png'));
  assert.deepEqual(await datasetSizes(ds), [{ id: 'a.png', width: 31, height: 17 }, { id: 'sub/b.png', width: 12, height: 40 }]);
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

test('a box file kept beside the images is not taken for a manifest (defect 10)', async () => {
  const dir = await tempDir();
  for (const f of ['a.png', 'b.png', 'c.png']) await writePng(join(dir, f));
  await writeText(join(dir, 'boxes.csv'), 'path,x,y,w,h,category\na.png,1,1,2,2,laterality\na.png,4,1,2,2,technologist\nb.png,0,0,3,3,other\n');
  const ds = await loadDataset(dir);
  assert.equal(ds.format, 'folder');
  assert.deepEqual(ds.records.map((r) => r.id), ['a.png', 'b.png', 'c.png']);
  // named directly as the data, it is refused by name
  await assert.rejects(loadDataset(join(dir, 'boxes.csv')), (e: Error) => e.message.includes('boxes.csv') && /box file/.test(e.message));
  // a CSV with only a path column is not a manifest unless it is called manifest.csv
  await writeText(join(dir, 'notes.csv'), 'path,comment\na.png,fine\n');
  assert.equal((await loadDataset(dir)).format, 'folder');
  await writeText(join(dir, 'list.csv'), 'path,label\na.png,1\nb.png,0\n');
  const listed = await loadDataset(dir);
  assert.equal(listed.format, 'manifest');
  assert.deepEqual(listed.records.map((r) => r.id), ['a.png', 'b.png']);
});

test('a manifest that lists a path twice is an error naming the path and lines (defect 10)', async () => {
  const dir = await tempDir();
  for (const f of ['a.png', 'b.png']) await writePng(join(dir, 'imgs', f));
  await writeText(join(dir, 'manifest.csv'), 'path,label,patient\nimgs/a.png,1,P1\nimgs/b.png,0,P2\n./imgs/a.png,0,P3\n');
  await assert.rejects(loadDataset(dir), (e: Error) => e.message.includes('manifest.csv') && e.message.includes('imgs/a.png (lines 2, 4)'));
});

test('files a manifest names outside its folder are skipped by name unless allowOutside (defect 10)', async () => {
  const parent = await tempDir();
  const dir = join(parent, 'set');
  await writePng(join(dir, 'in.png'));
  await writePng(join(parent, 'outside.png'));
  await writePng(join(parent, 'outside2.png'));
  await mkdir(join(parent, 'elsewhere'));
  await writePng(join(parent, 'elsewhere', 'hidden.png'));
  await symlink(join(parent, 'elsewhere'), join(dir, 'link'));
  const abs = join(parent, 'outside2.png');
  await writeText(join(dir, 'manifest.csv'), `path,label\nin.png,1\n../outside.png,0\n${abs},1\nlink/hidden.png,0\n`);
  const ds = await loadDataset(dir);
  assert.deepEqual(ds.records.map((r) => r.id), ['in.png']);
  assert.equal(ds.issues.length, 3);
  for (const [line, name] of [[3, '../outside.png'], [4, abs], [5, 'link/hidden.png']] as const) {
    assert.ok(ds.issues.some((i) => i.message.includes(`line ${line}: "${name}" resolves outside`) && /--allow-outside/.test(i.message)), name);
  }
  const all = await loadDataset(dir, { allowOutside: true });
  assert.deepEqual(all.records.map((r) => r.id).sort(), ['../outside.png', '../outside2.png', 'in.png', 'link/hidden.png']);
  assert.equal(all.issues.length, 0);
  await writeFile(join(dir, 'manifest.csv'), 'path,label\nin.png,1\n');
  assert.equal((await loadDataset(dir)).issues.length, 0);
});
