import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { maskDataset } from '../../src/variants/index.js';
import { writeBoxes } from '../../src/labels/formats/index.js';
import { readImage } from '../../src/data/read-image.js';
import { gradient, makeMura, tempDir, writePng } from '../data/helpers/fixtures.js';

async function setup() {
  const parent = await tempDir();
  const root = join(parent, 'MURA-v1.1');
  const rel = await makeMura(root, true);
  // 16-bit source for one image so bit depth preservation is checked.
  await writePng(join(root, rel[2]), gradient(8, 6, 3, 16));
  const boxesPath = join(parent, 'boxes.csv');
  await writeBoxes(boxesPath, [{ file: rel[0], x: 1, y: 1, w: 3, h: 2, category: 'laterality' }, { file: rel[2], x: 4, y: 2, w: 2, h: 2, category: 'other' }], 'csv');
  return { parent, root, rel, boxesPath };
}

test('mask cover: full copy with CSVs, boxes black, bit depth kept, source untouched, resumable', async () => {
  const { parent, root, rel, boxesPath } = await setup();
  const srcBytes = await readFile(join(root, rel[0]));
  const out = join(parent, 'covered');
  const s1 = await maskDataset({ data: root, boxes: boxesPath, out, mode: 'cover' });
  assert.deepEqual([s1.written, s1.skipped, s1.failed], [rel.length, 0, 0]);
  assert.equal(s1.metadataCopied, 2);
  assert.equal(await readFile(join(out, 'train_image_paths.csv'), 'utf8'), await readFile(join(root, 'train_image_paths.csv'), 'utf8'));
  assert.deepEqual(await readFile(join(root, rel[0])), srcBytes);
  const a = await readImage(join(out, rel[0]));
  const src = await readImage(join(root, rel[0]));
  for (let y = 0; y < 6; y++) for (let x = 0; x < 8; x++) {
    const i = y * 8 + x;
    if (x >= 1 && x < 4 && y >= 1 && y < 3) assert.equal(a.data[i], 0);
    else assert.equal(a.data[i], src.data[i]);
  }
  assert.equal((await readImage(join(out, rel[2]))).bits, 16);
  // An image without boxes is copied unchanged (pixel-wise).
  assert.deepEqual((await readImage(join(out, rel[4]))).data, (await readImage(join(root, rel[4]))).data);

  const s2 = await maskDataset({ data: root, boxes: boxesPath, out, mode: 'cover' });
  assert.deepEqual([s2.written, s2.skipped], [0, rel.length]);
  // Changing the mode rewrites.
  const s3 = await maskDataset({ data: root, boxes: boxesPath, out, mode: 'labels-only' });
  assert.equal(s3.written, rel.length);
  assert.ok((await readImage(join(out, rel[4]))).data.every((v) => v === 0));
});

test('mask refuses to write into the dataset and reports corrupt images without stopping', async () => {
  const { parent, root, rel, boxesPath } = await setup();
  await assert.rejects(maskDataset({ data: root, boxes: boxesPath, out: root, mode: 'cover' }), /must not be the dataset folder/);
  await assert.rejects(maskDataset({ data: root, boxes: boxesPath, out: join(root, 'x'), mode: 'cover' }), /inside it/);
  await writeFile(join(root, rel[3]), 'broken');
  const out = join(parent, 'rc');
  const s = await maskDataset({ data: root, boxes: boxesPath, out, mode: 'random-cover', seed: 5 });
  assert.deepEqual([s.written, s.failed], [rel.length - 1, 1]);
  assert.ok(s.issues[0].message.includes(rel[3].split('/').pop()!));
  await assert.rejects(stat(join(out, rel[3])));
});
