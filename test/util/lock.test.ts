import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { acquireLock, LOCK_FILE, type FolderLock } from '../../src/util/lock.js';

const LOCK_MODULE = fileURLToPath(new URL('../../src/util/lock.js', import.meta.url));

/** A second process that takes DIR's lock, says "locked" and waits to be signalled. */
function holder(dir: string): {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  stderr: () => string;
} {
  const code = `import { acquireLock } from ${JSON.stringify(LOCK_MODULE)};
await acquireLock(${JSON.stringify(dir)}, 'test holder');
process.stdout.write('locked\\n');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const ready = new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (d) => {
      if (String(d).includes('locked')) ok();
    });
    child.on('exit', () => fail(new Error(`holder exited: ${err}`)));
  });
  const exited = new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)));
  return { child, ready, exited, stderr: () => err };
}

test('a second run into a locked folder fails naming the holder; the lock is released on SIGTERM and SIGINT', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-lock-'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const h = holder(dir);
    await h.ready;
    const info = JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8'));
    assert.deepEqual([info.pid, info.host, info.command], [h.child.pid, hostname(), 'confound test holder']);
    assert.ok(!Number.isNaN(Date.parse(info.started)));
    await assert.rejects(
      acquireLock(dir, 'second'),
      new RegExp(
        `in use by another confound run \\(pid ${h.child.pid} on ${hostname()}, started .*: confound test holder\\)`,
      ),
    );
    h.child.kill(signal);
    assert.equal(await h.exited, signal === 'SIGINT' ? 130 : 143);
    assert.equal(existsSync(join(dir, LOCK_FILE)), false, `lock left after ${signal}`);
  }
  const lock = await acquireLock(dir, 'after');
  lock.release();
  assert.equal(existsSync(join(dir, LOCK_FILE)), false);
  await rm(dir, { recursive: true, force: true });
});

test('a lock held by a live process is refused; a stale one (dead pid on this host) is taken over with a message', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-lock-'));
  const sleeper = spawn('sleep', ['30']);
  const live = {
    pid: sleeper.pid,
    host: hostname(),
    command: 'confound study --out x',
    started: new Date().toISOString(),
  };
  await writeFile(join(dir, LOCK_FILE), JSON.stringify(live));
  await assert.rejects(acquireLock(dir), new RegExp(`pid ${sleeper.pid} on ${hostname()}.*confound study --out x`));
  sleeper.kill('SIGKILL');
  await new Promise((ok) => sleeper.on('exit', ok));

  const messages: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => {
    messages.push(String(s));
    return true;
  }) as typeof process.stderr.write;
  let lock: FolderLock | undefined;
  try {
    lock = await acquireLock(dir, 'taker');
  } finally {
    process.stderr.write = write;
  }
  assert.match(
    messages.join(''),
    new RegExp(`taking over a stale lock \\(pid ${sleeper.pid} on ${hostname()}.*that process is gone\\)`),
  );
  assert.equal(JSON.parse(await readFile(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
  // The same process may take its own lock again (the CLI and the library both lock); one release each.
  const again = await acquireLock(dir, 'taker');
  again.release();
  assert.ok(existsSync(join(dir, LOCK_FILE)));
  lock.release();
  assert.equal(existsSync(join(dir, LOCK_FILE)), false);

  // Another host's lock cannot be judged from here: refused, with how to clear it.
  await writeFile(join(dir, LOCK_FILE), JSON.stringify({ ...live, host: 'elsewhere.example', pid: 1 }));
  await assert.rejects(acquireLock(dir), /on elsewhere\.example.*delete .*\.confound\.lock/);
  await rm(dir, { recursive: true, force: true });
});
