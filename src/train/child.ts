import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { TrainConfig } from './config.js';
import type { TrainData, TrainResult } from './loop.js';

/** What the parent sends the child (child-worker.ts) and what comes back. */
export interface ChildRequest {
  data: TrainData;
  runDir: string;
  options: Partial<TrainConfig>;
  resume: boolean;
}
export type ChildReply = { ok: true; result: TrainResult } | { ok: false; message: string };

const WORKER = fileURLToPath(new URL('./child-worker.js', import.meta.url));

/**
 * train() in a child process of its own, with a fixed number of compute threads (default: every core).
 * libtorch's thread settings are per process, and OpenMP's are per calling thread: models trained side by side
 * in one process could run on libuv threads set up with other thread counts, so their arithmetic followed
 * timing. A child owns its libtorch, so what an arm computes depends only on its data, settings, thread
 * count and CPU, whatever runs beside it. Progress goes to this process's stderr.
 */
export async function trainInChild(
  data: TrainData,
  runDir: string,
  options: Partial<TrainConfig>,
  resume = false,
): Promise<TrainResult> {
  const threads = options.threads ?? availableParallelism();
  const request: ChildRequest = { data, runDir, options: { ...options, threads }, resume };
  const child = fork(WORKER, [], {
    env: { ...process.env, ...threadEnv(threads, options.deterministic === true) },
    execArgv: process.execArgv.filter((a) => !a.startsWith('--test')),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const what = `training${data.name ? ` ${data.name}` : ''} in a child process`;
  return new Promise<TrainResult>((resolve, reject) => {
    let reply: ChildReply | undefined;
    child.on('message', (m: ChildReply) => {
      reply = m;
    });
    child.on('error', (err) => reject(new Error(`${what}: ${err.message}`, { cause: err })));
    child.on('exit', (code, signal) => {
      if (reply?.ok) resolve(reply.result);
      else if (reply) reject(new Error(reply.message));
      else reject(new Error(`${what}: the child ended (${signal ?? `exit code ${code}`}) before reporting`));
    });
    child.send(request);
  });
}

/** Environment that fixes the thread pools of OpenMP, oneDNN and MKL before libtorch loads. */
function threadEnv(threads: number, deterministic: boolean): Record<string, string> {
  const env: Record<string, string> = {
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
    OMP_DYNAMIC: 'false',
  };
  // cuBLAS is only deterministic with a fixed workspace (CUDA's documented setting).
  if (deterministic) env.CUBLAS_WORKSPACE_CONFIG = ':4096:8';
  return env;
}
