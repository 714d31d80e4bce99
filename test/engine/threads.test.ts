import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/engine/index.js';
import { Rng } from '../../src/util/rng.js';

const size = 128,
  n = 8;
const rng = new Rng(1);
const images = Float32Array.from({ length: n * size * size }, () => rng.normal());
const targets = Float32Array.from({ length: n }, (_, i) => i % 2);
const shape = { n, height: size, width: size };

async function losses(seed: number): Promise<number[]> {
  using m = await Model.create({ arch: 'densenet-small', seed, threads: 1 });
  const out = [];
  for (let s = 0; s < 2; s++) out.push(await m.trainStep(images, targets, undefined, shape));
  return out;
}

test("models trained side by side compute with the process's thread count, whichever worker thread ran before", async () => {
  const alone = [await losses(1), await losses(2)];
  // Worker threads that ran libtorch under two threads first (libtorch keeps OpenMP's count per thread).
  const warm = await Promise.all(
    [1, 2, 3, 4].map((seed) => Model.create({ arch: 'densenet-small', seed, threads: 2 })),
  );
  await Promise.all(warm.map((m) => m.predict(images, shape)));
  for (const m of warm) m.dispose();
  for (let round = 0; round < 2; round++) {
    const side = await Promise.all([losses(1), losses(2), losses(1), losses(2)]);
    assert.deepEqual(side, [...alone, ...alone], `round ${round}`);
  }
});
