import { checkInt } from '../util/index.js';
import { nativeEngine, type DistHandle } from './native.js';

export interface ProcessGroupOptions {
  /** Address of rank 0, which hosts the rendezvous (libtorch's TCPStore). */
  host: string;
  port: number;
  rank: number;
  worldSize: number;
  /** How long a collective (or the rendezvous) may wait for the other ranks before failing. */
  timeoutMs?: number;
  /** Gradients live on a GPU: NCCL when the engine was built with it, else Gloo through host copies. */
  cuda?: boolean;
}

/**
 * A libtorch c10d process group (Gloo; NCCL for CUDA when built with it): every rank of a data-parallel run
 * opens one with the same host, port and world size. Attached to a model (Model.averageGradientsOver), each
 * train step averages the gradients over the ranks before Adam steps, as PyTorch's DDP does.
 */
export class ProcessGroup implements Disposable {
  private constructor(
    private handle: DistHandle | undefined,
    readonly rank: number,
    readonly worldSize: number,
  ) {}

  /** Joins the group; resolves once every rank has joined (rejects after the timeout). */
  static async init(opts: ProcessGroupOptions): Promise<ProcessGroup> {
    const worldSize = checkInt('worldSize', opts.worldSize, 1, 65536);
    const rank = checkInt('rank', opts.rank, 0, worldSize - 1);
    const port = checkInt('port', opts.port, 1, 65535);
    const timeout = checkInt('timeoutMs', opts.timeoutMs ?? 30 * 60_000, 100);
    if (!nativeEngine().distBackend()) {
      throw new Error(
        "this engine was built without libtorch's c10d/Gloo (no Gloo headers at build time); on Debian: " +
          'apt-get install libgloo-dev, then node scripts/build-addon.mjs',
      );
    }
    try {
      return new ProcessGroup(
        await nativeEngine().distInit(opts.host, port, rank, worldSize, timeout, opts.cuda ?? false),
        rank,
        worldSize,
      );
    } catch (err) {
      throw new Error(
        `rank ${rank}: could not join the process group at ${opts.host}:${port} (world size ${worldSize}): ` +
          `${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  /** The native handle, for Model. */
  get native(): DistHandle {
    if (!this.handle) throw new Error('the process group has been closed');
    return this.handle;
  }

  get backend(): string {
    return nativeEngine().distBackend(this.native);
  }

  /** Waits until every rank reaches this point. */
  async barrier(): Promise<void> {
    await nativeEngine().distBarrier(this.native);
  }

  dispose(): void {
    if (this.handle) nativeEngine().distDestroy(this.handle);
    this.handle = undefined;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Whether the engine was built with c10d (Gloo), and with NCCL. */
export function distBackends(): string {
  return nativeEngine().distBackend();
}
