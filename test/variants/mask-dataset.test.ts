import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { spawn } from 'node:child_process';
import { maskDataset } from '../../src/variants/index.js';
import { writeBoxes } from '../../src/labels/formats/index.js';
import { readImage } from '../../src/data/read-image.js';
import { gradient, makeMura, tempDir, writePng } from '../data/helpers/fixtures.js';
import { COMPLETE_MARK } from '../../src/util/complete.js';
import { LOCK_FILE } from '../../src/util/lock.js';
import { loadDatasetReported } from '../../src/cli/common.js';

async function setup() {
  const parent = await tempDir();
  const root = join(parent, 'MURA-v1.1');
  const rel = await makeMura(root, true);
  // 16-bit source for one image so bit depth preservation is checked.
  await writePng(join(root, rel[2]), gradient(8, 6, 3, 16));
  const boxesPath = join(parent, 'boxes.csv');
  await writeBoxes(
    boxesPath,
    [
      { file: rel[0], x: 1, y: 1, w: 3, h: 2, category: 'laterality' },
      { file: rel[2], x: 4, y: 2, w: 2, h: 2, category: 'other' },
    ],
    'csv',
  );
  return { parent, root, rel, boxesPath };
}

test('mask cover: full copy with CSVs, boxes black, bit depth kept, source untouched, resumable', async () => {
  const { parent, root, rel, boxesPath } = await setup();
  const srcBytes = await readFile(join(root, rel[0]));
  const out = join(parent, 'covered');
  const s1 = await maskDataset({ data: root, boxes: boxesPath, out, mode: 'cover' });
  assert.deepEqual([s1.written, s1.skipped, s1.failed], [rel.length, 0, 0]);
  assert.equal(s1.metadataCopied, 2);
  assert.equal(
    await readFile(join(out, 'train_image_paths.csv'), 'utf8'),
    await readFile(join(root, 'train_image_paths.csv'), 'utf8'),
  );
  assert.deepEqual(await readFile(join(root, rel[0])), srcBytes);
  const a = await readImage(join(out, rel[0]));
  const src = await readImage(join(root, rel[0]));
  for (let y = 0; y < 6; y++)
    for (let x = 0; x < 8; x++) {
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
  await assert.rejects(
    maskDataset({ data: root, boxes: boxesPath, out: root, mode: 'cover' }),
    /must not be the dataset folder/,
  );
  await assert.rejects(maskDataset({ data: root, boxes: boxesPath, out: join(root, 'x'), mode: 'cover' }), /inside it/);
  await writeFile(join(root, rel[3]), 'broken');
  const out = join(parent, 'rc');
  const s = await maskDataset({ data: root, boxes: boxesPath, out, mode: 'random-cover', seed: 5 });
  assert.deepEqual([s.written, s.failed], [rel.length - 1, 1]);
  assert.ok(s.issues[0].message.includes(rel[3].split('/').pop()!));
  await assert.rejects(stat(join(out, rel[3])));
});

test('mask never writes outside --out: manifest rows "../src/v.png" and absolute paths leave the source untouched', async () => {
  const parent = await tempDir();
  const src = join(parent, 'src');
  await writePng(join(src, 'v.png'), gradient(8, 6, 2));
  await writePng(join(src, 'w.png'), gradient(8, 6, 3));
  await writePng(join(parent, 'm', 'a.png'), gradient(8, 6, 4));
  const manifest = join(parent, 'm', 'manifest.csv');
  await writeFile(manifest, `path,label,patient\na.png,1,p1\n../src/v.png,0,p2\n${join(src, 'w.png')},1,p3\n`);
  const before = await Promise.all(['v.png', 'w.png'].map((f) => readFile(join(src, f))));
  const boxesPath = join(parent, 'boxes.csv');
  await writeBoxes(boxesPath, [], 'csv');
  // out/../src/v.png is the source itself: every image is made all black (labels-only with no boxes). By default the
  // loader skips rows outside the manifest's folder; with allowOutside they reach the writer, which refuses them.
  const out = join(parent, 'out');
  for (const allowOutside of [false, true]) {
    const s = await maskDataset({ data: manifest, boxes: boxesPath, out, mode: 'labels-only', allowOutside });
    const after = await Promise.all(['v.png', 'w.png'].map((f) => readFile(join(src, f))));
    assert.ok(
      after[0].equals(before[0]) && after[1].equals(before[1]),
      `a source image was overwritten (allowOutside ${allowOutside})`,
    );
    assert.deepEqual((await readdir(parent)).sort(), ['boxes.csv', 'm', 'out', 'src']);
    assert.equal(s.written + s.skipped, 1);
    for (const f of ['v.png', 'w.png'])
      assert.ok(
        s.issues.some((i) => i.file.endsWith(f)),
        `${f} not reported: ${JSON.stringify(s.issues)}`,
      );
    if (allowOutside) assert.ok(s.issues.some((i) => /refusing to write outside/.test(i.message)));
  }
  // An output folder that is the folder those outside images live in is refused outright.
  await assert.rejects(
    maskDataset({ data: manifest, boxes: boxesPath, out: src, mode: 'labels-only', allowOutside: true }),
    /must not be the folder of images/,
  );
  assert.deepEqual((await readdir(src)).sort(), ['v.png', 'w.png']);
});

test('mask refuses an --out that reaches into the dataset through a symlink (nothing is written there)', async () => {
  const { parent, root, boxesPath } = await setup();
  const link = join(parent, 'link');
  await symlink(join(root, 'train'), link);
  const listing = async () => (await readdir(root, { recursive: true })).sort();
  const before = await listing();
  for (const out of [link, join(link, 'sub')]) {
    await assert.rejects(
      maskDataset({ data: root, boxes: boxesPath, out, mode: 'cover' }),
      /must not be the dataset folder or inside it/,
    );
  }
  assert.deepEqual(await listing(), before);
});

test('mask: the copy is marked complete last; a run stopped half-way leaves no mark, and readers refuse the copy by name', async () => {
  const { parent, root, rel, boxesPath } = await setup();
  const out = join(parent, 'copy');
  await maskDataset({ data: root, boxes: boxesPath, out, mode: 'cover' });
  assert.equal(JSON.parse(await readFile(join(out, COMPLETE_MARK), 'utf8')).written, rel.length);
  assert.equal((await loadDatasetReported(out)).records.length, rel.length);
  // A second run with another mode, stopped after its first image (as a kill would): no mark while it works.
  const marks: boolean[] = [];
  await assert.rejects(
    maskDataset({
      data: root,
      boxes: boxesPath,
      out,
      mode: 'labels-only',
      concurrency: 1,
      onProgress: () => {
        marks.push(existsSync(join(out, COMPLETE_MARK)));
        throw new Error('stopped');
      },
    }),
    /stopped/,
  );
  assert.deepEqual(marks, [false]);
  await assert.rejects(
    loadDatasetReported(out),
    new RegExp(`${out}: this masked copy is incomplete .*rerun the same \`confound mask\` command`),
  );
  const s = await maskDataset({ data: root, boxes: boxesPath, out, mode: 'labels-only' });
  assert.equal(s.written + s.skipped, rel.length);
  assert.ok(existsSync(join(out, COMPLETE_MARK)));
  assert.equal(existsSync(join(out, LOCK_FILE)), false);
});

test('mask into a folder another live run holds is refused, naming it', async () => {
  const { parent, root, boxesPath } = await setup();
  const out = join(parent, 'held');
  const sleeper = spawn('sleep', ['30']);
  try {
    await mkdir(out);
    await writeFile(
      join(out, LOCK_FILE),
      JSON.stringify({ pid: sleeper.pid, host: hostname(), command: 'confound mask --out held', started: 'now' }),
    );
    await assert.rejects(
      maskDataset({ data: root, boxes: boxesPath, out, mode: 'cover' }),
      new RegExp(`in use by another confound run \\(pid ${sleeper.pid}`),
    );
    assert.deepEqual(await readdir(out), [LOCK_FILE]);
  } finally {
    sleeper.kill('SIGKILL');
  }
});
