import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile, writeFile } from 'node:fs/promises';
import { readBoxes, writeBoxes, detectBoxFormat, indexBoxes } from '../../src/labels/formats/index.js';
import type { LabelBox } from '../../src/labels/types.js';
import { loadDataset } from '../../src/data/load.js';
import { gradient, tempDir, writePng, writeText } from '../data/helpers/fixtures.js';

const images = [
  { id: 'a/one.png', width: 200, height: 100 },
  { id: 'b/two.png', width: 64, height: 128 },
  { id: 'c/empty.png', width: 10, height: 10 },
];
const boxes: LabelBox[] = [
  { file: 'a/one.png', x: 10, y: 5, w: 20, h: 12, category: 'laterality', score: 0.9, text: 'L' },
  { file: 'a/one.png', x: 150, y: 70, w: 30.5, h: 10, category: 'technologist', text: 'J,"K"' },
  { file: 'b/two.png', x: 0, y: 0, w: 64, h: 8, category: 'other' },
];

function close(a: LabelBox[], b: LabelBox[]): void {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => {
    const y = b[i];
    assert.equal(x.file, y.file);
    assert.equal(x.category, y.category);
    for (const k of ['x', 'y', 'w', 'h'] as const) assert.ok(Math.abs(x[k] - y[k]) < 1e-4, `${k}: ${x[k]} vs ${y[k]}`);
  });
}

for (const format of ['csv', 'coco', 'presidio'] as const) {
  test(`${format} round-trips boxes exactly and is detected`, async () => {
    const dir = await tempDir();
    const p = join(dir, format === 'csv' ? 'boxes.csv' : 'boxes.json');
    await writeBoxes(p, boxes, format, images);
    assert.equal(await detectBoxFormat(p), format);
    assert.deepEqual(await readBoxes(p), boxes);
  });
}

test('coco lists every image with its size and the three categories', async () => {
  const dir = await tempDir();
  const p = join(dir, 'c.json');
  await writeBoxes(p, boxes, 'coco', images);
  const c = JSON.parse(await readFile(p, 'utf8'));
  assert.deepEqual(
    c.categories.map((k: { name: string }) => k.name),
    ['laterality', 'technologist', 'other'],
  );
  assert.deepEqual(
    c.images.map((i: { file_name: string; width: number }) => [i.file_name, i.width]),
    images.map((i) => [i.id, i.width]),
  );
  assert.deepEqual(c.annotations[0].bbox, [10, 5, 20, 12]);
});

test('yolo round-trips (to float precision) via sizes; one txt per image', async () => {
  const dir = await tempDir();
  const p = join(dir, 'labels');
  await writeBoxes(p, boxes, 'yolo', images);
  assert.equal(await detectBoxFormat(p), 'yolo');
  assert.equal(await readFile(join(p, 'c/empty.txt'), 'utf8'), '');
  const back = await readBoxes(p, { sizes: images });
  close(
    back,
    boxes.map(({ score: _s, text: _t, ...b }) => b),
  );
  assert.equal(back[0].score, 0.9);
  await assert.rejects(readBoxes(p), /need the dataset/);
});

test('GRAZPEDWRI-DX yolo: class 8 is text -> other, findings skipped, sizes from the dataset', async () => {
  const dir = await tempDir();
  await writePng(join(dir, 'images/0001_1_01_WRI-L1_M014.png'), gradient(100, 50));
  await writeText(join(dir, 'dataset.csv'), 'filestem,patient_id,fracture_visible\n0001_1_01_WRI-L1_M014,1,1\n');
  await writeText(join(dir, 'labels/0001_1_01_WRI-L1_M014.txt'), '3 0.5 0.5 0.2 0.2\n8 0.1 0.2 0.1 0.2\n');
  const ds = await loadDataset(dir);
  const got = await readBoxes(join(dir, 'labels'), { dataset: ds });
  assert.equal(got.length, 1);
  close(got, [{ file: 'images/0001_1_01_WRI-L1_M014.png', x: 5, y: 5, w: 10, h: 10, category: 'other' }]);
});

test('bad box files give errors naming the file', async () => {
  const dir = await tempDir();
  const p = join(dir, 'bad.csv');
  await writeFile(p, 'path,x,y,w,h,category\na.png,1,2,-3,4,other\n');
  await assert.rejects(readBoxes(p), (e: Error) => e.message.includes(p) && /negative/.test(e.message));
  await writeFile(p, 'path,x,y,w,h,category\na.png,1,2,3,4,lateral\n');
  await assert.rejects(readBoxes(p), /category "lateral"/);
  const j = join(dir, 'bad.json');
  await writeFile(j, '{ nope');
  await assert.rejects(readBoxes(j), (e: Error) => e.message.includes(j));
});

test('indexBoxes groups by image', () => {
  const idx = indexBoxes(boxes);
  assert.equal(idx.get('a/one.png')!.length, 2);
  assert.equal(idx.get('c/empty.png'), undefined);
});
