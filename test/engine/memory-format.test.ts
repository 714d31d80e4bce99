import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model, type MemoryFormat } from '../../src/engine/index.js';
import { maxStateDifference, randomBatch } from './helpers.js';

const largest = (a: Float32Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const maxDiff = (a: Float32Array, b: Float32Array): number => {
  assert.equal(a.length, b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
};

const create = (memoryFormat: MemoryFormat) =>
  Model.create({ arch: 'densenet-small', seed: 3, threads: 2, memoryFormat, device: 'cpu' });

test('channels_last and NCHW models agree: state, predictions, losses, gradients and captures within 1e-4', async () => {
  using nchw = await create('nchw');
  using nhwc = await create('channels_last');
  // The same seeded weights, read back in NCHW order whatever the layout inside.
  assert.equal(maxStateDifference(await nchw.getState(), await nhwc.getState()), 0);
  const { images, targets, shape } = randomBatch('format', 6, 64);
  const before = await nchw.predict(images, shape);
  assert.ok(maxDiff(before, await nhwc.predict(images, shape)) < 1e-4);

  // Captures come back NCHW: the same activations and gradients, at the default layer and a channel-rich one.
  for (const layer of ['features', 'features.denseblock2']) {
    const c1 = await nchw.capture(images, shape, layer);
    const c2 = await nhwc.capture(images, shape, layer);
    assert.deepEqual([c2.n, c2.c, c2.h, c2.w], [c1.n, c1.c, c1.h, c1.w]);
    assert.ok(maxDiff(c1.activations, c2.activations) < 1e-5 * largest(c1.activations), layer);
    assert.ok(maxDiff(c1.gradients, c2.gradients) < 1e-5 * largest(c1.gradients), layer);
  }

  const g1 = await nchw.lossAndGradients(images, targets, undefined, shape);
  const g2 = await nhwc.lossAndGradients(images, targets, undefined, shape);
  assert.ok(Math.abs(g1.loss - g2.loss) < 1e-5);
  assert.ok(maxStateDifference(g1.gradients, g2.gradients) < 1e-5);

  for (let step = 0; step < 3; step++) {
    const l1 = await nchw.trainStep(images, targets, undefined, shape);
    const l2 = await nhwc.trainStep(images, targets, undefined, shape);
    assert.ok(Math.abs(l1 - l2) < 1e-5, `step ${step}: ${l1} vs ${l2}`);
  }
  const after = await nchw.predict(images, shape);
  assert.ok(maxDiff(after, before) > 1e-2, 'training moved the predictions');
  assert.ok(maxDiff(after, await nhwc.predict(images, shape)) < 1e-4);
  // Adam's step is about lr (1e-4) wherever a gradient is near zero, whatever its size: rounding there can
  // move a weight by a step or two, not more.
  assert.ok(maxStateDifference(await nchw.getState(), await nhwc.getState()) < 1e-3);
});

test('a checkpoint moves between layouts: channels_last to NCHW and back, the same state, then the same step', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-format-'));
  try {
    const { images, targets, shape } = randomBatch('resume', 4, 48);
    for (const [from, to] of [
      ['channels_last', 'nchw'],
      ['nchw', 'channels_last'],
    ] as const) {
      using a = await create(from);
      await a.trainStep(images, targets, undefined, shape);
      const file = join(dir, `${from}.safetensors`);
      await a.saveCheckpoint(file);
      using b = await Model.load(file, { withOptimizer: true, threads: 2, memoryFormat: to, device: 'cpu' });
      assert.equal(maxStateDifference(await a.getState(), await b.getState()), 0);
      const la = await a.trainStep(images, targets, undefined, shape);
      const lb = await b.trainStep(images, targets, undefined, shape);
      assert.ok(Math.abs(la - lb) < 1e-5, `${from} -> ${to}: ${la} vs ${lb}`);
      assert.ok(maxStateDifference(await a.getState(), await b.getState()) < 1e-3);
      const { images: other } = randomBatch('resume-other', 4, 48);
      assert.ok(maxDiff(await a.predict(other, shape), await b.predict(other, shape)) < 1e-4);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an unknown memory format is refused before any native call', async () => {
  await assert.rejects(
    Model.create({ arch: 'densenet-tiny', seed: 0, memoryFormat: 'nhwc' as MemoryFormat }),
    /memoryFormat/,
  );
});
