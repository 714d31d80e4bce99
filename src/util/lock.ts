import { closeSync, openSync, readFileSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeDirs, realPathOf } from './safe-path.js';

export const LOCK_FILE = '.confound.lock';

/** What a lock file holds: enough to tell who works in the folder and whether it still runs. */
export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  started: string;
}

/** A held lock; release() is idempotent. `using lock = await acquireLock(...)` releases it at scope end. */
export interface FolderLock {
  path: string;
  release(): void;
  [Symbol.dispose](): void;
}

// Locks this process holds, by real lock-file path, with a count: the CLI and the library function it calls
// may both lock the same folder (train's CLI writes the split file before train() runs).
const held = new Map<string, { count: number }>();
let handlersInstalled = false;

function releaseAllNow(): void {
  for (const path of held.keys()) rmSync(path, { force: true });
  held.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  releaseAllNow();
  // Exit as the signal would have, now that the folder is free again (128 + signal number).
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', releaseAllNow);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function removeHandlers(): void {
  if (!handlersInstalled || held.size > 0) return;
  handlersInstalled = false;
  process.off('exit', releaseAllNow);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
}

/** Whether a process with this pid runs on this machine (EPERM: it runs, as another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string') return null;
    return { pid: v.pid, host: v.host, command: String(v.command ?? '?'), started: String(v.started ?? '?') };
  } catch {
    return null;
  }
}

function describe(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host}, started ${h.started}: ${h.command}`;
}

/**
 * Take the folder's exclusive lock (DIR/.confound.lock, created with O_EXCL, holding pid, host, command and start
 * time). Another live holder is an error that names it; a lock left by a dead process on this host is taken over
 * with a message on stderr. Released by release(), on exit, and on SIGINT/SIGTERM.
 */
export async function acquireLock(
  dir: string,
  command = process.argv.slice(2).join(' ') || 'confound',
): Promise<FolderLock> {
  await makeDirs(dir);
  const path = join(await realPathOf(dir), LOCK_FILE);
  const mine = held.get(path);
  if (mine) {
    mine.count++;
    return handle(path);
  }
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    command: `confound ${command}`,
    started: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify(me) + '\n');
      } finally {
        closeSync(fd);
      }
      held.set(path, { count: 1 });
      installHandlers();
      return handle(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new Error(`${path}: cannot create the lock file (${(err as Error).message})`);
    }
    const holder = readHolder(path);
    if (holder && (holder.host !== me.host || pidAlive(holder.pid))) {
      throw new Error(
        `${dir}: in use by another confound run (${describe(holder)}); wait for it to finish, or use ` +
          `another output folder${holder.host !== me.host ? `; if that run is gone, delete ${path}` : ''}`,
      );
    }
    if (attempt === 1) break;
    process.stderr.write(
      `${dir}: taking over a stale lock (${holder ? `${describe(holder)}; that process is gone` : 'unreadable lock file'})\n`,
    );
    try {
      unlinkSync(path);
    } catch {
      /* another run took it over first: the next O_EXCL open decides */
    }
  }
  throw new Error(`${dir}: another confound run took the lock at the same moment; try again`);
}

function handle(path: string): FolderLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    const h = held.get(path);
    if (!h) return;
    if (--h.count > 0) return;
    held.delete(path);
    rmSync(path, { force: true });
    removeHandlers();
  };
  return { path, release, [Symbol.dispose]: release };
}

/** Run `work` holding DIR's lock; released however work ends. */
export async function withLock<T>(dir: string, work: () => Promise<T>, command?: string): Promise<T> {
  const lock = await acquireLock(dir, command);
  try {
    return await work();
  } finally {
    lock.release();
  }
}
