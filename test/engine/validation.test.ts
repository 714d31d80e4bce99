import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/engine/index.js';
import { randomBatch } from './helpers.js';

test('bad inputs are refused in TypeScript with a clear message, and the model keeps working', async () => {
  using model = await Model.create({ arch: 'densenet-tiny', seed: 1, threads: 2 });
  const { images, targets, shape } = randomBatch('ok', 2, 32);
  await assert.rejects(model.predict(new Float32Array(100), shape), {
    name: 'InvalidParameterError',
    message:
      'Expected a Float32Array of n*channels*height*width = 2*1*32*32 = 2048 values for images but received Float32Array of length 100',
  });
  await assert.rejects(
    model.predict(new Float64Array(2048) as unknown as Float32Array, shape),
    /received Float64Array of length 2048/,
  );
  const nan = images.slice();
  nan[77] = NaN;
  await assert.rejects(model.trainStep(nan, targets, undefined, shape), {
    message: 'Expected finite values for images but received "NaN at index 77"',
  });
  nan[77] = Infinity;
  await assert.rejects(model.predict(nan, shape), {
    message: 'Expected finite values for images but received "Infinity at index 77"',
  });
  await assert.rejects(model.trainStep(images, Float32Array.of(0, 2), undefined, shape), {
    message: 'Expected finite values in [0, 1] for targets but received "2 at index 1"',
  });
  await assert.rejects(
    model.trainStep(images, targets, Float32Array.of(1), shape),
    /Expected a Float32Array of 2 values \(one per image\) for weights/,
  );
  await assert.rejects(model.predict(new Float32Array(4 * 4), { n: 1, height: 4, width: 4 }), {
    message: 'Expected an integer between 5 and 65536 for height but received 4',
  });
  await assert.rejects(
    model.capture(images, shape, 'features.denseblock9'),
    /for layer but received "features.denseblock9" \(did you mean "features.denseblock1"\?\)/,
  );
  assert.equal((await model.predict(images, shape)).length, 2);
});

test('bad options are refused before any native call', async () => {
  await assert.rejects(Model.create({ arch: 'densenet12' as 'densenet121', seed: 1 }), {
    message:
      'Expected one of [densenet121, densenet-small, densenet-tiny] for arch but received "densenet12" (did you mean "densenet121"?)',
  });
  await assert.rejects(Model.create({ arch: 'densenet-tiny', seed: -1 }), /for seed but received -1/);
  await assert.rejects(
    Model.create({ arch: 'densenet-tiny', seed: 1, device: 'gpu' as 'cuda' }),
    /for device but received "gpu"/,
  );
  await assert.rejects(
    Model.create({ arch: 'densenet-tiny', seed: 1, learningRate: 0 }),
    /Expected a positive number for learningRate/,
  );
});

test('native errors reject with their text; a disposed model rejects further calls', async () => {
  const model = await Model.create({ arch: 'densenet-tiny', seed: 1, threads: 2 });
  // One image with a 1x1 final map cannot train: BatchNorm needs more than one value per channel.
  const one = randomBatch('one', 1, 5);
  await assert.rejects(
    model.trainStep(one.images, one.targets, undefined, one.shape),
    /^Error: engine trainStep: Expected more than 1 value per channel when training/,
  );
  await assert.rejects(
    model.setState([{ name: 'features.conv0.weight', dtype: 'float32', shape: [1], data: new Float32Array(1) }]),
    {
      message: 'engine setState: state tensor "features.conv0.weight" has shape [1] but the model expects [8, 1, 7, 7]',
    },
  );
  model.dispose();
  const { images, shape } = randomBatch('ok', 2, 32);
  await assert.rejects(model.predict(images, shape), { message: 'engine predict: the model has been disposed' });
});
