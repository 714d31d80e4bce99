import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/engine/index.js';
import { randomBatch } from './helpers.js';

const { images, targets, shape } = randomBatch('precision', 4, 32);

test('bf16 runs the forward pass in bfloat16: scores and the final layer near fp32, not equal; weights stay fp32', async () => {
  using fp32 = await Model.create({ arch: 'densenet-tiny', seed: 3, threads: 1 });
  using bf16 = await Model.create({ arch: 'densenet-tiny', seed: 3, threads: 1, precision: 'bf16' });
  const [p32, p16] = [await fp32.predict(images, shape), await bf16.predict(images, shape)];
  const gap = Math.max(...p32.map((p, i) => Math.abs(p - p16[i])));
  // bfloat16 keeps 8 significant bits (relative step 2^-8 = 0.0039); a few layers of it move a score by ~1e-2.
  assert.ok(gap > 0 && gap < 0.05, `largest score difference ${gap}`);
  const [c32, c16] = [await fp32.capture(images, shape), await bf16.capture(images, shape)];
  assert.ok(c16.activations instanceof Float32Array && c16.activations.length === c32.activations.length);
  const scale = Math.max(...c32.activations.map(Math.abs));
  const worst = Math.max(...c32.activations.map((a, i) => Math.abs(a - c16.activations[i])));
  assert.ok(worst > 0 && worst < 0.05 * scale, `final layer: largest difference ${worst} of ${scale}`);
  // A train step updates float32 weights: the loss it reports is near fp32's, and training goes on from there.
  const [l32, l16] = [
    await fp32.trainStep(images, targets, undefined, shape),
    await bf16.trainStep(images, targets, undefined, shape),
  ];
  assert.ok(Math.abs(l32 - l16) < 0.05 * l32, `losses ${l32} and ${l16}`);
  for (const t of await bf16.getState())
    if (!t.name.endsWith('num_batches_tracked') && t.name !== 'optimizer.step')
      assert.equal(t.dtype, 'float32', t.name);
});

test('an unknown precision is refused before the engine is called', async () => {
  await assert.rejects(
    Model.create({ arch: 'densenet-tiny', seed: 0, precision: 'fp16' as 'bf16' }),
    /one of \[fp32, bf16\] for precision/,
  );
});
