import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';

/** Where a data-parallel process finds the others: torchrun's conventions (MASTER_ADDR, ..., RANK). */
export interface DistSettings {
  host: string;
  port: number;
  worldSize: number;
  rank: number;
  localRank?: number;
  timeoutMs: number;
}

interface DistFlags {
  distUrl?: string;
  worldSize?: number;
  rank?: number;
  distTimeout?: number;
}

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new Error(`environment variable ${name} must be a non-negative integer, got "${v}"`);
  return Number(v);
}

/**
 * The process-group settings from --dist-url tcp://HOST:PORT --world-size W --rank R, else from MASTER_ADDR,
 * MASTER_PORT, WORLD_SIZE, RANK (and LOCAL_RANK); undefined for an ordinary single-process run.
 */
export function distSettings(o: DistFlags, env: NodeJS.ProcessEnv = process.env): DistSettings | undefined {
  const worldSize = o.worldSize ?? envInt(env, 'WORLD_SIZE');
  if (worldSize === undefined || worldSize === 1) return undefined;
  const rank = o.rank ?? envInt(env, 'RANK');
  if (rank === undefined || rank >= worldSize)
    throw new Error(`a run of ${worldSize} processes needs --rank (or RANK) in 0..${worldSize - 1}, got ${rank}`);
  let host = env.MASTER_ADDR;
  let port = envInt(env, 'MASTER_PORT');
  if (o.distUrl !== undefined) {
    const m = /^tcp:\/\/([^:/\s]+|\[[0-9a-fA-F:]+\]):(\d{1,5})\/?$/.exec(o.distUrl);
    if (!m) throw new Error(`--dist-url must look like tcp://HOST:PORT, got "${o.distUrl}"`);
    host = m[1].replace(/^\[|\]$/g, '');
    port = Number(m[2]);
  }
  if (!host || port === undefined || port < 1 || port > 65535) {
    throw new Error(
      "a run of several processes needs rank 0's address: --dist-url tcp://HOST:PORT, or MASTER_ADDR and MASTER_PORT",
    );
  }
  const timeoutMs = Math.round((o.distTimeout ?? 1800) * 1000);
  return { host, port, worldSize, rank, localRank: envInt(env, 'LOCAL_RANK'), timeoutMs };
}

/** A TCP port free on this machine now, for the rendezvous of processes started here. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

/** argv without `--nproc N` / `--nproc=N`. */
function withoutNproc(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--nproc') i++;
    else if (!args[i].startsWith('--nproc=')) out.push(args[i]);
  }
  return out;
}

/**
 * `--nproc N` on one machine: starts this same command N times as ranks 0..N-1 of one process group (rank 0
 * hosting the rendezvous on 127.0.0.1), splitting the cores between them unless --threads is given. When one
 * rank fails or is killed, the others are stopped and this rejects with what happened.
 */
export async function launchLocal(
  nproc: number,
  threads: number | undefined,
  argv: readonly string[] = process.argv,
): Promise<void> {
  const port = await freePort();
  const args = withoutNproc(argv.slice(1));
  if (threads === undefined) args.push('--threads', String(Math.max(1, Math.floor(availableParallelism() / nproc))));
  const children: ChildProcess[] = [];
  const exits = Array.from(
    { length: nproc },
    (_, rank) =>
      new Promise<{ rank: number; code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        const child = spawn(argv[0], args, {
          stdio: ['ignore', rank === 0 ? 'inherit' : 'ignore', 'inherit'],
          env: {
            ...process.env,
            MASTER_ADDR: '127.0.0.1',
            MASTER_PORT: String(port),
            WORLD_SIZE: String(nproc),
            RANK: String(rank),
            LOCAL_RANK: String(rank),
            LOCAL_WORLD_SIZE: String(nproc),
          },
        });
        child.once('exit', (code, signal) => resolve({ rank, code, signal }));
        children.push(child);
      }),
  );
  const stopAll = (signal: NodeJS.Signals) => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill(signal);
  };
  const forward = (signal: NodeJS.Signals) => () => stopAll(signal);
  const onInt = forward('SIGINT'),
    onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt).on('SIGTERM', onTerm);
  try {
    const pending = new Set(exits);
    let failure: { rank: number; code: number | null; signal: NodeJS.Signals | null } | undefined;
    while (pending.size > 0) {
      const done = await Promise.race([...pending].map((p) => p.then((r) => ({ r, p }))));
      pending.delete(done.p);
      if (!failure && (done.r.code !== 0 || done.r.signal)) {
        failure = done.r;
        stopAll('SIGTERM');
      }
    }
    if (failure) {
      const how = failure.signal ? `was killed (${failure.signal})` : `failed (exit code ${failure.code})`;
      throw new Error(
        `rank ${failure.rank} of ${nproc} ${how}; the other processes were stopped. ` +
          'Rerun the same command with --resume to continue from the last finished epoch.',
      );
    }
  } finally {
    process.off('SIGINT', onInt).off('SIGTERM', onTerm);
  }
}
