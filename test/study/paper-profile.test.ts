import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('study --profile paper runs end to end on the CPU at a tiny size (DenseNet-121, 64 px, one epoch) and records device and world size', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-paper-'));
  try {
    const out = join(dir, 's');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        MAIN,
        'study',
        '--profile',
        'paper',
        '--size',
        '64',
        '--epochs',
        '1',
        '--studies',
        '30',
        '--arms',
        'original,covered',
        '--boxes',
        'truth',
        '--overlays',
        '2',
        '--threads',
        '2',
        '--device',
        'cpu',
        '--out',
        out,
        '--json',
      ],
      { maxBuffer: 64 << 20 },
    );
    const r = JSON.parse(stdout);
    assert.equal(r.config.profile, 'paper');
    assert.equal(r.config.device, 'cpu');
    assert.equal(r.config.world_size, 1);
    assert.deepEqual(
      [r.config.train.arch, r.config.train.size, r.config.train.epochs, r.config.train.device],
      ['densenet121', 64, 1, 'cpu'],
    );
    assert.deepEqual(
      r.arms.map((a: { name: string }) => a.name),
      ['original', 'covered'],
    );
    assert.ok(r.dataset && r.counterfactual.n > 0);
    const run = JSON.parse(await readFile(join(out, 'runs', 'original', 'config.json'), 'utf8'));
    assert.deepEqual([run.train.arch, run.train.device, run.world_size], ['densenet121', 'cpu', 1]);
    assert.match(
      await readFile(join(out, 'report.html'), 'utf8'),
      /profile paper · seed 0 · device cpu · 1 process · arms: original, covered/,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
