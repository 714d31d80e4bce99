import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { runStudy } from '../../src/study/study.js';
import { LOCK_FILE } from '../../src/util/lock.js';
import { gradient, writePng } from '../data/helpers/fixtures.js';

test("study: an --out inside --data (directly, through a symlink, or in a manifest's folder) is refused before anything is written", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-study-out-'));
  const data = join(dir, 'data');
  await writePng(join(data, 'a.png'), gradient(8, 6));
  await writeFile(join(data, 'list.csv'), 'path,label,patient\na.png,1,p1\n');
  await symlink(data, join(dir, 'link'));
  for (const [d, out] of [
    [data, join(data, 'study')],
    [data, data],
    [data, join(dir, 'link', 'study')],
    [join(data, 'list.csv'), join(data, 's')],
  ]) {
    await assert.rejects(
      runStudy({ data: d, out }),
      /--out .*: output folder must not be the dataset or inside it/,
      out,
    );
  }
  assert.deepEqual((await readdir(data)).sort(), ['a.png', 'list.csv']);
  await rm(dir, { recursive: true, force: true });
});

test('study: a folder another live run holds is refused, naming its pid, host and command', async () => {
  const out = await mkdtemp(join(tmpdir(), 'confound-study-lock-'));
  const sleeper = spawn('sleep', ['30']);
  try {
    await mkdir(out, { recursive: true });
    await writeFile(
      join(out, LOCK_FILE),
      JSON.stringify({ pid: sleeper.pid, host: hostname(), command: 'confound study --out x', started: 'then' }),
    );
    await assert.rejects(
      runStudy({ out }),
      new RegExp(
        `in use by another confound run \\(pid ${sleeper.pid} on ${hostname()}, started then: confound study --out x\\)`,
      ),
    );
    assert.deepEqual(await readdir(out), [LOCK_FILE]);
  } finally {
    sleeper.kill('SIGKILL');
    await rm(out, { recursive: true, force: true });
  }
});
