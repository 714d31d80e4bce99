import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy } from '../../src/study/study.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-repro-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A process that keeps one core busy until killed. */
function cpuHog() {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

test('two runs of a tiny study, one beside a CPU hog, give identical scores and arm figures', async () => {
  const run = (name: string) =>
    runStudy({
      out: join(dir, name),
      seed: 5,
      threads: 4,
      parallel: 2,
      overlays: 0,
      arms: ['original', 'covered'] as const,
      phantom: { studies: 30, size: 96 },
      boxes: 'truth',
      // Four threads over two arms side by side: two per arm, so reductions are split between threads.
      train: { arch: 'densenet-tiny' as const, size: 64, epochs: 1, batch: 8 },
    });
  const quiet = await run('quiet');
  const hogs = [cpuHog(), cpuHog()];
  let busy: Awaited<ReturnType<typeof run>>;
  try {
    busy = await run('busy');
  } finally {
    for (const h of hogs) h.kill();
  }
  assert.equal(quiet.config.parallel, 2);
  assert.deepEqual(busy.arms, quiet.arms);
  assert.deepEqual(busy.counterfactual, quiet.counterfactual);
  const files = (await readdir(join(dir, 'quiet', 'scores'))).sort();
  assert.equal(files.length, 2);
  for (const f of files) {
    const a = await readFile(join(dir, 'quiet', 'scores', f), 'utf8');
    const b = await readFile(join(dir, 'busy', 'scores', f), 'utf8');
    // The paths name each study's own folder; the scores must agree to the last digit.
    assert.equal(b.replaceAll(join(dir, 'busy'), 'STUDY'), a.replaceAll(join(dir, 'quiet'), 'STUDY'), f);
  }
});
