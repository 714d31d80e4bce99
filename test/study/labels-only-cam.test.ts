import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGrayPng } from '../../src/data/image.js';
import type { ImageRecord } from '../../src/data/types.js';
import type { LabelBox } from '../../src/labels/types.js';
import { drawLabel, labelBox } from '../../src/synth/labels.js';
import { train, BEST_WEIGHTS } from '../../src/train/index.js';
import { Model } from '../../src/engine/index.js';
import { camRecords, STUDY_ATTENTION } from '../../src/explain/run-cam.js';
import { summariseAttention } from '../../src/explain/summary.js';
import { Rng } from '../../src/util/rng.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-cam-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const S = 64;

/** A labels-only image: black, one boxed lead marker somewhere; "L" is abnormal, "R" normal. */
async function makeImage(
  i: number,
  split: 'train' | 'valid' | 'test',
  rng: Rng,
): Promise<{ record: ImageRecord; box: LabelBox }> {
  const label = (i % 2) as 0 | 1;
  const img = new Float32Array(S * S);
  const shape = {
    category: 'laterality' as const,
    text: label ? 'L' : 'R',
    font: 'block' as const,
    style: 'box' as const,
    height: rng.uniform(12, 15),
  };
  const cx = rng.uniform(16, S - 16),
    cy = rng.uniform(16, S - 16);
  const drawn = drawLabel(shape, S, cx, cy, rng.normal(0, 0.1), rng, 0);
  for (let y = 0; y < drawn.h; y++)
    for (let x = 0; x < drawn.w; x++) {
      const v = drawn.stroke[y * drawn.w + x];
      if (v > 0) img[(y + drawn.y0) * S + x + drawn.x0] = v * drawn.strokeLevel;
    }
  const [bx, by, bw, bh] = labelBox(drawn)!;
  const id = `${split}/image${i}.png`;
  await writeGrayPng(join(dir, id), { width: S, height: S, data: img, bits: 8 });
  return {
    record: { id, path: join(dir, id), split, patient: `p${i}`, study: `p${i}/s1`, label },
    box: { file: id, x: bx, y: by, w: bw, h: bh, category: 'laterality' },
  };
}

// Issue E: a model that has only ever seen labels must look at them.
test('the CAM of a model trained on labels-only images puts most of its mass in the label boxes', async () => {
  const rng = new Rng('labels-only-cam');
  const make = (n: number, split: 'train' | 'valid' | 'test') =>
    Promise.all(Array.from({ length: n }, (_, i) => makeImage(i, split, rng.fork(`${split}${i}`))));
  const [tr, va, te] = await Promise.all([make(160, 'train'), make(32, 'valid'), make(40, 'test')]);
  const run = join(dir, 'run');
  // No flips: a mirrored "L" is not an "L".
  const cfg = {
    arch: 'densenet-tiny' as const,
    size: S,
    epochs: 10,
    batch: 16,
    lr: 3e-3,
    mean: 0,
    flip: 0,
    maxRotation: 10,
    seed: 1,
    threads: 2,
  };
  const result = await train({ train: tr.map((x) => x.record), valid: va.map((x) => x.record) }, run, cfg);
  assert.ok(result.bestAuc > 0.9, `the model did not learn the marker (validation AUC ${result.bestAuc})`);

  using model = await Model.load(join(run, BEST_WEIGHTS), { threads: 2 });
  const boxes = new Map(te.map((x) => [x.record.id, [x.box]]));
  const per = await camRecords(
    model,
    te.map((x) => x.record),
    boxes,
    { size: S, mean: 0, std: 0.25 },
  );
  const summary = summariseAttention(per, 0);
  assert.equal(summary.n, te.length);
  assert.ok(
    summary.label_attention_ci[0] > 0.5,
    `label attention ${summary.label_attention} (CI ${summary.label_attention_ci}), boxes cover ${summary.chance}`,
  );
  // The study's own measure (gradient x activation at the stride-8 layer) as well.
  const study = summariseAttention(
    await camRecords(
      model,
      te.map((x) => x.record),
      boxes,
      { size: S, mean: 0, std: 0.25, ...STUDY_ATTENTION },
    ),
    0,
  );
  assert.ok(
    study.label_attention_ci[0] > 0.5,
    `study measure: label attention ${study.label_attention} (CI ${study.label_attention_ci}), boxes cover ${study.chance}`,
  );
});
