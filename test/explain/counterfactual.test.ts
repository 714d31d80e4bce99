import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGrayPng } from '../../src/data/image.js';
import type { ImageRecord } from '../../src/data/types.js';
import type { LabelBox } from '../../src/labels/types.js';
import { counterfactual, type Scorer } from '../../src/explain/counterfactual.js';

const S = 32;

/** Images with a bright "label" patch in the top-left corner on abnormal cases, and anatomy-like noise elsewhere. */
async function makeImages(dir: string, n: number): Promise<{ records: ImageRecord[]; boxes: Map<string, LabelBox[]> }> {
  const records: ImageRecord[] = [];
  const boxes = new Map<string, LabelBox[]>();
  for (let i = 0; i < n; i++) {
    const label = (i % 2) as 0 | 1;
    const data = new Float32Array(S * S).fill(0.3);
    for (let y = 20; y < 28; y++) for (let x = 12; x < 20; x++) data[y * S + x] = 0.6; // "bone"
    const patch = label ? 1 : 0.5;
    for (let y = 2; y < 8; y++) for (let x = 2; x < 8; x++) data[y * S + x] = patch;
    const id = `img${i}.png`;
    await writeGrayPng(join(dir, id), { width: S, height: S, data, bits: 8 });
    records.push({ id, path: join(dir, id), patient: `p${i}`, study: `s${i}`, label });
    boxes.set(id, [{ file: id, x: 2, y: 2, w: 6, h: 6, category: 'laterality' }]);
  }
  return { records, boxes };
}

const meanOf = (img: Float32Array, x0: number, y0: number, x1: number, y1: number) => {
  let s = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += img[y * S + x];
  return s / ((x1 - x0) * (y1 - y0));
};

function scorer(read: (img: Float32Array) => number): Scorer {
  return {
    batchSize: 4,
    prepare: (img) => img.data,
    score: async (batch, n) =>
      Float32Array.from({ length: n }, (_, i) => 1 / (1 + Math.exp(-read(batch.subarray(i * S * S, (i + 1) * S * S))))),
  };
}

test('a model that reads the label corner is flagged; one that reads the anatomy is not', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cf-'));
  try {
    const { records, boxes } = await makeImages(dir, 20);
    const corner = await counterfactual(
      scorer((x) => 12 * (meanOf(x, 2, 2, 8, 8) - 0.75)),
      records,
      boxes,
      { seed: 1 },
    );
    assert.equal(corner.n, 20);
    assert.ok(corner.covered.mean_abs_delta > 0.3, `covered |dp| ${corner.covered.mean_abs_delta}`);
    assert.ok(corner.covered.flip_rate >= 0.4);
    assert.ok(corner.random_cover.mean_abs_delta < 0.05, `control |dp| ${corner.random_cover.mean_abs_delta}`);
    assert.equal(corner.auc_original, 1);
    assert.ok(corner.auc_covered! <= 0.5 + 1e-9);
    assert.ok(corner.p! < 0.001);

    const anatomy = await counterfactual(
      scorer((x) => 5 * (meanOf(x, 12, 20, 20, 28) - 0.5)),
      records,
      boxes,
      { seed: 1 },
    );
    assert.equal(anatomy.covered.mean_abs_delta, 0);
    assert.equal(anatomy.covered.flip_rate, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('images without label boxes are left out, and none at all is an error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cf-'));
  try {
    const { records, boxes } = await makeImages(dir, 4);
    boxes.delete(records[0].id);
    const r = await counterfactual(
      scorer(() => 0),
      records,
      boxes,
    );
    assert.equal(r.n, 3);
    await assert.rejects(
      counterfactual(
        scorer(() => 0),
        records,
        new Map(),
      ),
      /no test image has a label box/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
