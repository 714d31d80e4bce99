import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { readBoxes } from '../../src/labels/formats/index.js';
import { loadDataset } from '../../src/data/load.js';
import { gradient, tempDir, writePng } from '../data/helpers/fixtures.js';

const categories = [
  { id: 1, name: 'laterality' },
  { id: 2, name: 'technologist' },
  { id: 3, name: 'other' },
];

/** A COCO file; each annotation [image_id, category_id, x, y, w, h]. */
function coco(images: { id: number; file_name: string; width?: number; height?: number }[], anns: number[][]) {
  return {
    images,
    categories,
    annotations: anns.map(([image_id, category_id, ...bbox], i) => ({ id: i + 1, image_id, category_id, bbox })),
  };
}

async function write(v: unknown): Promise<string> {
  const p = join(await tempDir(), 'boxes.coco.json');
  await writeFile(p, JSON.stringify(v));
  return p;
}

test('duplicate COCO image ids are an error naming the ids (defect 5)', async () => {
  const p = await write(
    coco(
      [
        { id: 1, file_name: 'a.png' },
        { id: 2, file_name: 'b.png' },
        { id: 1, file_name: 'c.png' },
        { id: 2, file_name: 'd.png' },
      ],
      [[1, 1, 0, 0, 4, 4]],
    ),
  );
  await assert.rejects(
    readBoxes(p),
    (e: Error) => e.message.includes(p) && /image id\(s\) used by more than one image: 1, 2/.test(e.message),
  );
});

test('unknown category ids and boxes wholly outside are dropped, partly outside clipped, each counted (defect 5)', async () => {
  const p = await write(
    coco(
      [{ id: 1, file_name: 'a.png', width: 100, height: 50 }],
      [
        [1, 1, 10, 10, 5, 5], // kept
        [1, 9, 20, 10, 5, 5], // unknown category: dropped
        [1, 7, 30, 10, 5, 5], // unknown category: dropped
        [1, 2, 120, 10, 5, 5], // wholly right of the image: dropped
        [1, 3, -20, -20, 10, 10], // wholly above-left: dropped
        [1, 3, 95, 40, 10, 20], // partly outside: clipped to 5 x 10
      ],
    ),
  );
  const warnings: string[] = [];
  const boxes = await readBoxes(p, { warn: (m) => warnings.push(m) });
  assert.deepEqual(
    boxes.map((b) => [b.x, b.y, b.w, b.h, b.category]),
    [
      [10, 10, 5, 5, 'laterality'],
      [95, 40, 5, 10, 'other'],
    ],
  );
  assert.equal(warnings.length, 3);
  assert.match(
    warnings[0],
    /2 box\(es\) with a category id not in "categories" dropped \(annotation 1 \(category_id 9\); annotation 2/,
  );
  assert.match(
    warnings[1],
    /2 box\(es\) wholly outside their image dropped \(annotation 3 on a\.png; annotation 4 on a\.png\)/,
  );
  assert.match(warnings[2], /1 box\(es\) partly outside their image clipped to it \(annotation 5 on a\.png\)/);
  for (const w of warnings) assert.ok(w.startsWith(p), w);
});

test('COCO width/height that disagree with the image are named; boxes are checked against the real size (defect 5)', async () => {
  const dir = await tempDir();
  await writePng(join(dir, 'a.png'), gradient(40, 30));
  await writePng(join(dir, 'b.png'), gradient(20, 20));
  const ds = await loadDataset(dir);
  const p = await write(
    coco(
      [
        { id: 1, file_name: 'a.png', width: 400, height: 300 },
        { id: 2, file_name: 'b.png', width: 20, height: 20 },
      ],
      [
        [1, 1, 100, 100, 10, 10], // inside COCO's 400 x 300, outside the real 40 x 30: dropped
        [1, 1, 5, 5, 10, 10],
        [2, 2, 1, 1, 3, 3],
      ],
    ),
  );
  const warnings: string[] = [];
  const boxes = await readBoxes(p, { dataset: ds, warn: (m) => warnings.push(m) });
  assert.deepEqual(
    boxes.map((b) => [b.file, b.x]),
    [
      ['a.png', 5],
      ['b.png', 1],
    ],
  );
  assert.ok(
    warnings.some((w) =>
      /1 image\(s\) whose COCO width\/height disagree with the file.*a\.png is 40x30, COCO says 400x300/.test(w),
    ),
    warnings.join('\n'),
  );
  assert.ok(
    warnings.some((w) => /1 box\(es\) wholly outside their image dropped \(annotation 0 on a\.png\)/.test(w)),
    warnings.join('\n'),
  );
});

test('a clean COCO file reads without a warning', async () => {
  const p = await write(
    coco(
      [{ id: 1, file_name: 'a.png', width: 100, height: 50 }],
      [
        [1, 1, 0, 0, 100, 50],
        [1, 3, 10, 10, 5, 5],
      ],
    ),
  );
  const warnings: string[] = [];
  assert.equal((await readBoxes(p, { warn: (m) => warnings.push(m) })).length, 2);
  assert.deepEqual(warnings, []);
});
