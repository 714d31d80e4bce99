import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/engine/index.js';
import { maxStateDifference, randomBatch } from './helpers.js';

async function run(seed: number): Promise<{ losses: number[]; state: Awaited<ReturnType<Model['getState']>> }> {
  using model = await Model.create({ arch: 'densenet-small', seed, threads: 2, learningRate: 1e-3 });
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) {
    const { images, targets, shape } = randomBatch(`det-${step}`, 4, 32);
    losses.push(await model.trainStep(images, targets, undefined, shape));
  }
  return { losses, state: await model.getState() };
}

test('the same seed gives identical weights and losses over 3 steps; another seed does not', async () => {
  using a = await Model.create({ arch: 'densenet-small', seed: 11, threads: 2 });
  using b = await Model.create({ arch: 'densenet-small', seed: 11, threads: 2 });
  using c = await Model.create({ arch: 'densenet-small', seed: 12, threads: 2 });
  assert.equal(maxStateDifference(await a.getState(), await b.getState()), 0);
  assert.ok(maxStateDifference(await a.getState(), await c.getState()) > 0.01);

  const first = await run(7);
  const second = await run(7);
  assert.deepEqual(second.losses, first.losses);
  assert.equal(maxStateDifference(first.state, second.state), 0);
  assert.notDeepEqual((await run(8)).losses, first.losses);
});

test('initialisation follows torchvision: BN weight 1 and bias 0, conv std sqrt(2 / fan_in), Linear bias 0', async () => {
  using model = await Model.create({ arch: 'densenet-small', seed: 1, threads: 2 });
  const state = new Map((await model.getState()).map((t) => [t.name, t]));
  assert.ok((state.get('features.norm0.weight')!.data as Float32Array).every((v) => v === 1));
  assert.ok((state.get('features.norm5.bias')!.data as Float32Array).every((v) => v === 0));
  assert.ok((state.get('classifier.bias')!.data as Float32Array).every((v) => v === 0));
  const w = state.get('features.denseblock3.denselayer1.conv1.weight')!;
  const fanIn = w.shape[1] * w.shape[2] * w.shape[3];
  const values = w.data as Float32Array;
  const sd = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
  assert.ok(Math.abs(sd / Math.sqrt(2 / fanIn) - 1) < 0.05, `std ${sd} vs ${Math.sqrt(2 / fanIn)}`);
});
