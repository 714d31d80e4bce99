import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model, ARCH_NAMES } from '../../src/engine/index.js';
import { OnnxDenseNet } from '../../src/infer/index.js';
import { Rng } from '../../src/util/rng.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-onnx-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

for (const arch of ARCH_NAMES.filter((a) => a !== 'densenet121')) {
  test(`${arch} trained a few steps: onnxruntime's probabilities and final-layer capture equal the engine's to 1e-4`, async () => {
    const size = 64,
      n = 6;
    const rng = new Rng(4);
    const images = Float32Array.from({ length: n * size * size }, () => rng.normal());
    const shape = { n, height: size, width: size };
    const path = join(dir, `${arch}.safetensors`);
    {
      // Steps in train mode move the batch norms' running statistics away from 0 and 1.
      using model = await Model.create({ arch, seed: 2, threads: 1, learningRate: 1e-3 });
      for (let s = 0; s < 3; s++)
        await model.trainStep(
          images,
          Float32Array.from({ length: n }, (_, i) => i % 2),
          undefined,
          shape,
        );
      await model.save(path);
    }
    using model = await Model.load(path, { threads: 1 });
    const onnx = await OnnxDenseNet.load(path, { threads: 1 });
    try {
      const ours = await model.predict(images, shape);
      const theirs = await onnx.predict(images, shape);
      assert.ok(maxDiff(ours, theirs) < 1e-4, `probabilities differ by ${maxDiff(ours, theirs)}`);
      assert.ok(Math.max(...ours) - Math.min(...ours) > 1e-3, 'the images should get different scores');
      const a = await model.capture(images, shape, 'features');
      const b = await onnx.capture(images, shape);
      assert.deepEqual([b.n, b.c, b.h, b.w], [a.n, a.c, a.h, a.w]);
      assert.ok(maxDiff(a.activations, b.activations) < 1e-4, 'activations');
      assert.ok(maxDiff(a.gradients, b.gradients) < 1e-6, 'gradients');
      assert.ok(maxDiff(a.logits!, b.logits!) < 1e-4, 'logits');
    } finally {
      await onnx.dispose();
    }
  });
}
