import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { runAudit } from '../../src/audit/run-audit.js';
import { LOCK_FILE } from '../../src/util/lock.js';
import { gradient, writePng } from '../data/helpers/fixtures.js';

test('audit: an --out inside --data (also through a symlink) is refused, and so is a folder another live run holds', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-audit-out-'));
  const data = join(dir, 'data');
  await writePng(join(data, 'a.png'), gradient(8, 6));
  await symlink(data, join(dir, 'link'));
  const opts = { model: join(dir, 'none.onnx'), data, boxes: { file: join(dir, 'none.json') }, scorer: {} };
  for (const out of [data, join(data, 'audit'), join(dir, 'link', 'audit')]) {
    await assert.rejects(
      runAudit({ ...opts, out }),
      /output folder must not be the dataset( folder)? or inside it/,
      out,
    );
  }
  assert.deepEqual(await readdir(data), ['a.png']);

  const out = join(dir, 'audit');
  const sleeper = spawn('sleep', ['30']);
  try {
    await mkdir(out);
    await writeFile(
      join(out, LOCK_FILE),
      JSON.stringify({ pid: sleeper.pid, host: hostname(), command: 'confound audit', started: 'then' }),
    );
    await assert.rejects(
      runAudit({ ...opts, out }),
      new RegExp(`in use by another confound run \\(pid ${sleeper.pid}`),
    );
  } finally {
    sleeper.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
