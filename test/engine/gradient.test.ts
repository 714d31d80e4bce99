import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model, type NamedTensor } from '../../src/engine/index.js';
import { Rng } from '../../src/util/rng.js';
import { byName, maxStateDifference, randomBatch } from './helpers.js';

const SIDE = 32;
const N = 6;

test('lossAndGradients matches central finite differences of the loss', async () => {
  // Direction d = unit(g/|g| + r) with r a random unit vector: the g part gives a derivative large enough
  // for a float32 loss to resolve, the random part exposes errors orthogonal to g.
  using model = await Model.create({ arch: 'densenet-tiny', seed: 3, threads: 2 });
  const { images, targets, shape } = randomBatch('fd', N, SIDE);
  const weights = Float32Array.from({ length: N }, (_, i) => 0.5 + i / N);
  const { loss, gradients } = await model.lossAndGradients(images, targets, weights, shape);
  const grads = byName(gradients);
  const state = byName(await model.getState());
  const eps = 1e-3;
  const rng = new Rng('fd-directions');
  const checked = [
    'features.conv0.weight',
    'features.denseblock1.denselayer2.conv2.weight',
    'features.transition1.conv.weight',
    'features.norm5.weight',
    'features.norm5.bias',
    'classifier.weight',
    'classifier.bias',
  ];
  for (const name of checked) {
    const p = state.get(name) as NamedTensor;
    const g = grads.get(name)!.data as Float32Array;
    const norm = Math.hypot(...g);
    const r = Float64Array.from(g, () => rng.normal());
    const rNorm = Math.hypot(...r);
    const d = Float64Array.from(g, (v, i) => v / norm + r[i] / rNorm);
    const dNorm = Math.hypot(...d);
    d.forEach((v, i) => {
      d[i] = v / dNorm;
    });
    const analytic = g.reduce((s, v, i) => s + v * d[i], 0);
    const at = async (sign: number) => {
      const moved = Float32Array.from(p.data as Float32Array, (v, i) => v + sign * eps * d[i]);
      await model.setState([{ ...p, data: moved }]);
      return (await model.lossAndGradients(images, targets, weights, shape)).loss;
    };
    const numeric = ((await at(1)) - (await at(-1))) / (2 * eps);
    await model.setState([p]);
    assert.ok(norm > 1e-3, `${name}: gradient too small to test (${norm})`);
    assert.ok(
      Math.abs(numeric - analytic) <= 0.01 * analytic,
      `${name}: finite difference ${numeric} vs gradient ${analytic}`,
    );
  }
  assert.ok(loss > 0 && Number.isFinite(loss));
});

test('the loss is mean_i(w_i * BCE_i): one-hot weights recover each image, and they average to uniform weights', async () => {
  using model = await Model.create({ arch: 'densenet-tiny', seed: 4, threads: 2 });
  const { images, targets, shape } = randomBatch('weights', N, SIDE);
  const uniform = (await model.lossAndGradients(images, targets, undefined, shape)).loss;
  let sum = 0;
  for (let j = 0; j < N; j++) {
    const oneHot = Float32Array.from({ length: N }, (_, i) => (i === j ? N : 0));
    sum += (await model.lossAndGradients(images, targets, oneHot, shape)).loss;
  }
  assert.ok(Math.abs(sum / N - uniform) < 1e-5 * uniform, `${sum / N} vs ${uniform}`);
});

test('lossAndGradients leaves parameters and BN statistics unchanged', async () => {
  using model = await Model.create({ arch: 'densenet-tiny', seed: 5, threads: 2 });
  const { images, targets, shape } = randomBatch('pure', N, SIDE);
  const before = await model.getState();
  await model.lossAndGradients(images, targets, undefined, shape);
  assert.equal(maxStateDifference(before, await model.getState()), 0);
});

test("trainStep reports the loss before the step and takes Adam's first step, -lr * g / (|g| + eps)", async () => {
  const lr = 1e-3;
  using model = await Model.create({ arch: 'densenet-tiny', seed: 6, threads: 2, learningRate: lr });
  const { images, targets, shape } = randomBatch('adam', N, SIDE);
  const before = byName(await model.getState());
  const { loss, gradients } = await model.lossAndGradients(images, targets, undefined, shape);
  assert.equal(await model.trainStep(images, targets, undefined, shape), loss);
  const after = byName(await model.getState());
  for (const g of gradients) {
    const p0 = before.get(g.name)!.data as Float32Array;
    const p1 = after.get(g.name)!.data as Float32Array;
    const gd = g.data as Float32Array;
    for (let i = 0; i < gd.length; i++) {
      const expected = (-lr * gd[i]) / (Math.abs(gd[i]) + 1e-8);
      assert.ok(
        Math.abs(p1[i] - p0[i] - expected) < 1e-6 + 1e-3 * lr,
        `${g.name}[${i}]: moved ${p1[i] - p0[i]}, expected ${expected}`,
      );
    }
  }
  assert.equal(after.get('optimizer.step')!.data[0], 1n);
  assert.equal(after.get('features.norm0.num_batches_tracked')!.data[0], 1n);
});
