import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A tensor as it crosses the native boundary: float32 parameters and moments, int64 counters. */
export interface NamedTensor {
  name: string;
  dtype: 'float32' | 'int64';
  shape: number[];
  data: Float32Array | BigInt64Array;
}

/** Opaque model handle owned by the addon. */
export type Handle = { readonly __brand: 'confound-engine-handle' };

/** Opaque TorchScript model handle owned by the addon. */
export type ScriptHandle = { readonly __brand: 'confound-script-handle' };
/** Opaque process-group handle (native/dist.h). */
export type DistHandle = { readonly __brand: 'confound-dist-handle' };

/** A native call on a batch of n images (NCHW, one channel) with per-image targets and loss weights. */
type LabelledBatchCall<R> = (
  h: Handle,
  images: Float32Array,
  n: number,
  height: number,
  width: number,
  targets: Float32Array,
  weights: Float32Array,
) => Promise<R>;

/** A native call on a TorchScript module with a batch of n images (NCHW), plus any call-specific arguments. */
type ScriptBatchCall<Extra extends unknown[], R> = (
  h: ScriptHandle,
  images: Float32Array,
  n: number,
  channels: number,
  height: number,
  width: number,
  ...extra: Extra
) => Promise<R>;

/** What build/Release/confound_engine.node exports (native/addon.cc). Callers validate arguments first. */
export interface NativeEngine {
  create(
    arch: string,
    channels: number,
    seed: number,
    device: string,
    precision: string,
    channelsLast: boolean,
  ): Promise<Handle>;
  trainStep: LabelledBatchCall<number>;
  lossAndGradients: LabelledBatchCall<{ loss: number; gradients: NamedTensor[] }>;
  predict(h: Handle, images: Float32Array, n: number, height: number, width: number): Promise<Float32Array>;
  camData(
    h: Handle,
    images: Float32Array,
    n: number,
    height: number,
    width: number,
    layer: string,
  ): Promise<{ shape: number[]; activations: Float32Array; gradients: Float32Array; logits: Float32Array }>;
  setLearningRate(h: Handle, lr: number): Promise<void>;
  getState(h: Handle): Promise<NamedTensor[]>;
  setState(h: Handle, tensors: NamedTensor[], replaceOptimizer: boolean): Promise<void>;
  layerNames(h: Handle): string[];
  device(h: Handle): string;
  dispose(h: Handle): void;
  setThreads(threads: number): void;
  getThreads(): number;
  cudaAvailable(): boolean;
  cudaDeviceCount(): number;
  version(): string;
  scriptLoad(path: string, device: string): Promise<ScriptHandle>;
  scriptForward: ScriptBatchCall<[], { shape: number[]; data: Float32Array }>;
  /** The gradient of output `index` of each image with respect to its input. */
  scriptGradient: ScriptBatchCall<[index: number], { shape: number[]; outputs: Float32Array; gradients: Float32Array }>;
  /** Submodule `layer`'s output and the gradient of output `index` with respect to it. */
  scriptCapture: ScriptBatchCall<
    [index: number, layer: string],
    {
      shape: number[];
      outputs: Float32Array;
      activationShape: number[];
      activations: Float32Array;
      gradients: Float32Array;
    }
  >;
  scriptLayers(h: ScriptHandle): string[];
  scriptDispose(h: ScriptHandle): void;
  distInit(
    host: string,
    port: number,
    rank: number,
    worldSize: number,
    timeoutMs: number,
    cuda: boolean,
  ): Promise<DistHandle>;
  distAttach(h: Handle, group: DistHandle | null): Promise<void>;
  distAverageBuffers(h: Handle, group: DistHandle): Promise<void>;
  distBarrier(group: DistHandle): Promise<void>;
  /** With a group: its backend; without: what the engine was built with ('gloo', 'gloo+nccl', or '' without c10d). */
  distBackend(group?: DistHandle): string;
  distDestroy(group: DistHandle): void;
  setDeterministic(on: boolean): void;
  /** ATen's CPU kernel level: default | avx2 | avx512. */
  cpuCapability(): string;
}

const ADDON = fileURLToPath(new URL('../../../build/Release/confound_engine.node', import.meta.url));

let loaded: NativeEngine | undefined;

/**
 * How long an idle OpenMP thread spins before it sleeps, set before libtorch loads libgomp (which reads it
 * once). libgomp's default, 300k spins, is what PyTorch runs with: best on idle cores, but on busy ones a
 * thread spins while the one it waits for is descheduled (densenet121 128 px, 2 threads, load 18: 0.4
 * img/s training). 10k keeps the idle speed (18.3 vs 19.0 img/s) and gives 3.9 img/s under that load.
 * A user's OMP_WAIT_POLICY or GOMP_SPINCOUNT wins.
 */
function setOpenMpSpin(): void {
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) {
    process.env.GOMP_SPINCOUNT = '10000';
  }
}

/** The addon, loaded on first use so commands that do not train or explain work without libtorch. */
export function nativeEngine(): NativeEngine {
  if (loaded) return loaded;
  const path = process.env.CONFOUND_ENGINE_ADDON ?? ADDON;
  setOpenMpSpin();
  try {
    loaded = createRequire(import.meta.url)(path) as NativeEngine;
  } catch (err) {
    const reason = existsSync(path) ? (err as Error).message.split('\n')[0] : `${path} does not exist`;
    throw new Error(
      `the libtorch engine is not available (${reason}). To fix: install libtorch (apt-get install libtorch-dev) ` +
        'or download it from pytorch.org and set LIBTORCH=/path/to/libtorch (a cxx11-ABI build; a CUDA build also ' +
        'needs its CUDA libraries on the loader path), then build the addon in the confound folder: npm run install ' +
        '(or node scripts/build-addon.mjs).',
    );
  }
  return loaded;
}
