import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Model } from '../../src/engine/index.js';
import { randomBatch } from './helpers.js';

const threadCount = () => readdirSync('/proc/self/task').length;

// GNU OpenMP gives each thread that opens a parallel region a team of its own; teams on several libuv workers
// outnumber the cores and make libgomp put its threads to sleep between regions (native/runtime.h).
test('engine calls from several models, side by side, run on one compute thread with one OpenMP team', {
  skip: !existsSync('/proc/self/task') && 'needs /proc/self/task (Linux)',
}, async () => {
  const { images, shape } = randomBatch('compute-thread', 2, 32);
  // libuv starts its worker pool on first use: start it before counting.
  await Promise.all(Array.from({ length: 8 }, () => readFile(new URL(import.meta.url))));
  const models = await Promise.all(
    [1, 2, 3, 4].map((seed) => Model.create({ arch: 'densenet-tiny', seed, threads: 2 })),
  );
  try {
    await models[0].predict(images, shape); // the compute thread and its team exist from here on
    const before = threadCount();
    for (let round = 0; round < 4; round++) await Promise.all(models.map((m) => m.predict(images, shape)));
    assert.equal(threadCount(), before, 'engine calls started threads of their own');
  } finally {
    for (const m of models) m.dispose();
  }
});
