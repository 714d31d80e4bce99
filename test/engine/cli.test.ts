import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

test('engine-check trains on random data and reports throughput as JSON', async () => {
  const { stdout } = await run(process.execPath, [
    MAIN,
    'engine-check',
    '--arch',
    'densenet-tiny',
    '--size',
    '32',
    '--batch',
    '4',
    '--steps',
    '2',
    '--threads',
    '1',
    '--json',
  ]);
  const r = JSON.parse(stdout);
  assert.equal(r.arch, 'densenet-tiny');
  assert.equal(r.engine_threads, '1');
  assert.equal(r.losses.length, 3);
  assert.ok(r.train_img_s > 0 && r.infer_img_s > 0 && r.gradcam_ms > 0);
});

test('without the addon, --help still works and engine commands fail with one message listing the fixes', async () => {
  const env = { ...process.env, CONFOUND_ENGINE_ADDON: '/nonexistent/confound_engine.node' };
  const help = await run(process.execPath, [MAIN, 'engine-check', '--help'], { env });
  assert.match(help.stdout, /Usage: confound engine-check/);
  await assert.rejects(
    run(process.execPath, [MAIN, 'engine-check', '--arch', 'densenet-tiny'], { env }),
    (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.equal(err.stderr.trim().split('\n').length, 1);
      assert.match(
        err.stderr,
        /^confound: the libtorch engine is not available \(\/nonexistent\/confound_engine\.node does not exist\)/,
      );
      assert.match(err.stderr, /apt-get install libtorch-dev/);
      assert.match(err.stderr, /LIBTORCH=\/path\/to\/libtorch/);
      assert.match(err.stderr, /npm run install/);
      return true;
    },
  );
});

test('--device cuda without CUDA is one clear error; auto takes the CPU; a misspelt device is refused by name', async () => {
  const { nativeEngine } = await import('../../src/engine/native.js');
  if (nativeEngine().cudaAvailable()) return; // the CUDA path is checked by scripts/device-check.sh
  const base = [
    'engine-check',
    '--arch',
    'densenet-tiny',
    '--size',
    '32',
    '--batch',
    '2',
    '--steps',
    '1',
    '--threads',
    '1',
  ];
  await assert.rejects(
    run(process.execPath, [MAIN, ...base, '--device', 'cuda:1']),
    (err: { code: number; stderr: string }) => {
      assert.equal(err.code, 1);
      assert.equal(err.stderr.trim().split('\n').length, 1);
      assert.match(
        err.stderr,
        /^confound: Expected cpu or auto \(this engine was built without CUDA, or no GPU is visible: libtorch [\d.]+\) for device but received "cuda:1"$/m,
      );
      return true;
    },
  );
  await assert.rejects(
    run(process.execPath, [MAIN, 'predict', '--run', 'r', '--data', 'd', '--out', 'o.csv', '--device', 'gpu']),
    (err: { stderr: string }) => /--device must be auto \| cpu \| cuda \| cuda:N .*got "gpu"/.test(err.stderr),
  );
  const { stdout } = await run(process.execPath, [MAIN, ...base, '--device', 'auto', '--json']);
  assert.equal(JSON.parse(stdout).device, 'cpu');
});
