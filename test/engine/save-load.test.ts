import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model, readSafetensors, writeSafetensors, type NamedTensor } from '../../src/engine/index.js';
import { Rng } from '../../src/util/rng.js';
import { byName, maxStateDifference, randomBatch } from './helpers.js';

async function withDir(fn: (dir: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'confound-engine-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function trained(seed: number, steps: number): Promise<Model> {
  const model = await Model.create({ arch: 'densenet-tiny', seed, threads: 2, learningRate: 1e-2 });
  for (let s = 0; s < steps; s++) {
    const { images, targets, shape } = randomBatch(`train-${s}`, 4, 32);
    await model.trainStep(images, targets, undefined, shape);
  }
  return model;
}

test('save writes torchvision-named safetensors (I64 num_batches_tracked, metadata) and load predicts identically', async () => {
  await withDir(async (dir) => {
    using model = await trained(1, 2);
    const path = join(dir, 'model.safetensors');
    await model.save(path);
    const bytes = await readFile(path);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    assert.equal((8 + headerLength) % 8, 0);
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    assert.deepEqual(header.__metadata__, {
      format: 'pt',
      producer: 'confound',
      kind: 'weights',
      arch: 'densenet-tiny',
      channels: '1',
    });
    assert.deepEqual(header['features.norm0.num_batches_tracked'].dtype, 'I64');
    assert.deepEqual(header['features.conv0.weight'].shape, [8, 1, 7, 7]);
    assert.ok(
      'features.denseblock2.denselayer2.conv2.weight' in header && 'features.transition1.conv.weight' in header,
    );
    assert.ok(!Object.keys(header).some((k) => k.startsWith('optimizer.')));

    using loaded = await Model.load(path, { threads: 2 });
    const { images, shape } = randomBatch('predict', 5, 32);
    assert.deepEqual(await loaded.predict(images, shape), await model.predict(images, shape));
  });
});

test('a checkpoint resumes bit-exactly: the same losses and state as training on', async () => {
  await withDir(async (dir) => {
    using model = await trained(2, 3);
    const path = join(dir, 'checkpoint.safetensors');
    await model.saveCheckpoint(path);
    using resumed = await Model.load(path, { threads: 2, withOptimizer: true });
    assert.equal(resumed.learningRate, 1e-2);
    for (let s = 3; s < 6; s++) {
      const { images, targets, shape } = randomBatch(`train-${s}`, 4, 32);
      assert.equal(
        await resumed.trainStep(images, targets, undefined, shape),
        await model.trainStep(images, targets, undefined, shape),
      );
    }
    assert.equal(maxStateDifference(await resumed.getState(), await model.getState()), 0);

    using fresh = await Model.load(path, { threads: 2 });
    assert.ok(
      !(await fresh.getState()).some((t) => t.name.startsWith('optimizer.')),
      'without withOptimizer Adam starts afresh',
    );
  });
});

test('loadPretrained sums an RGB conv0, renames legacy keys and keeps a new classifier', async () => {
  await withDir(async (dir) => {
    using rgb = await Model.create({ arch: 'densenet-tiny', channels: 3, seed: 9, threads: 2 });
    const rng = new Rng('imagenet');
    const file: NamedTensor[] = (await rgb.getState()).map((t) => {
      if (t.name === 'classifier.weight')
        return {
          ...t,
          shape: [1000, t.shape[1]],
          data: Float32Array.from({ length: 1000 * t.shape[1] }, () => rng.normal()),
        };
      if (t.name === 'classifier.bias') return { ...t, shape: [1000], data: new Float32Array(1000).fill(0.5) };
      return { ...t, name: t.name.replace('denselayer1.norm1.', 'denselayer1.norm.1.') };
    });
    const path = join(dir, 'imagenet.safetensors');
    await writeSafetensors(path, file, { format: 'pt' });

    using gray = await Model.create({ arch: 'densenet-tiny', seed: 10, threads: 2 });
    const classifierBefore = byName(await gray.getState()).get('classifier.weight')!;
    const notes = await gray.loadPretrained(path);
    assert.equal(notes.length, 3);
    const state = byName(await gray.getState());
    const src = byName(await rgb.getState());
    const c3 = src.get('features.conv0.weight')!.data as Float32Array;
    const c1 = state.get('features.conv0.weight')!.data as Float32Array;
    for (let i = 0; i < c1.length; i++) {
      const [o, p] = [Math.floor(i / 49), i % 49];
      assert.ok(Math.abs(c1[i] - (c3[o * 3 * 49 + p] + c3[(o * 3 + 1) * 49 + p] + c3[(o * 3 + 2) * 49 + p])) < 1e-6);
    }
    assert.deepEqual(
      state.get('features.denseblock1.denselayer1.norm1.weight')!.data,
      src.get('features.denseblock1.denselayer1.norm1.weight')!.data,
    );
    assert.deepEqual(state.get('features.norm5.running_var')!.data, src.get('features.norm5.running_var')!.data);
    assert.deepEqual(state.get('classifier.weight')!.data, classifierBefore.data);
  });
});

test('loading a file of another architecture fails naming the file and tensor, and changes nothing', async () => {
  await withDir(async (dir) => {
    using small = await Model.create({ arch: 'densenet-small', seed: 1, threads: 2 });
    const path = join(dir, 'small.safetensors');
    await small.save(path);
    using tiny = await Model.create({ arch: 'densenet-tiny', seed: 1, threads: 2 });
    const before = await tiny.getState();
    await assert.rejects(tiny.loadWeights(path), {
      message: `${path}: tensor "features.conv0.weight" is float32 [32, 1, 7, 7], the model needs float32 [8, 1, 7, 7]`,
    });
    assert.equal(maxStateDifference(before, await tiny.getState()), 0);
    await assert.rejects(
      readSafetensors(join(dir, 'missing.safetensors')),
      /missing\.safetensors: cannot read weights/,
    );
  });
});
