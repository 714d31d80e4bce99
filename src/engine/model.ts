import { availableParallelism } from 'node:os';
import type { LayerCapture } from './capture.js';
import { InvalidParameterError, checkChoice, checkInt, checkNumber } from '../util/index.js';
import { ARCH_NAMES, type Arch } from './archs.js';
import { resolveDevice, type Device, type DeviceChoice } from './device.js';
import { nativeEngine, type Handle, type NamedTensor } from './native.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import type { ProcessGroup } from './dist.js';
import { readWeightTensors } from './weights-file.js';
import { adaptPretrained, isOptimizerEntry, matchState } from './state.js';
import { checkImages, checkPerImage, type BatchShape } from './validate.js';

export interface CreateOptions {
  arch: Arch;
  /** Input channels (1 for radiographs). */
  channels?: number;
  /** Seeds the initial weights: same seed, same arch => identical weights. */
  seed: number;
  /** Default 'cpu'; 'auto' takes CUDA when the engine has it and a GPU is visible. */
  device?: DeviceChoice;
  /** libtorch intra-op threads for the whole process (default: all cores). */
  threads?: number;
  /** Adam learning rate (default 1e-4). */
  learningRate?: number;
  /**
   * 'fp32' (default), or 'bf16': forward passes under libtorch's autocast to bfloat16 (AVX512-BF16 / AMX
   * CPUs, GPUs); weights, gradients and Adam's state stay float32. Results then differ from fp32's.
   */
  precision?: Precision;
  /**
   * How activations lie in memory inside libtorch: 'channels_last' (NHWC: oneDNN's CPU convolutions take it
   * without reordering, about 1.5x faster training on the CPU), 'nchw', or 'auto' (default: channels_last on
   * the CPU, NCHW on CUDA). Inputs, outputs, state and files are NCHW either way; results agree to ~1e-5.
   */
  memoryFormat?: MemoryFormat;
  /** ImageNet-pretrained torchvision DenseNet weights (safetensors or torchvision's .pth) to start from; see loadPretrained. */
  weights?: string;
}

/** Arithmetic of the forward pass. */
export const PRECISIONS = ['fp32', 'bf16'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** Layout of activations inside the engine (see CreateOptions.memoryFormat). */
export const MEMORY_FORMATS = ['auto', 'nchw', 'channels_last'] as const;
export type MemoryFormat = (typeof MEMORY_FORMATS)[number];

export interface LoadOptions {
  device?: DeviceChoice;
  precision?: Precision;
  memoryFormat?: MemoryFormat;
  threads?: number;
  /** Also restore Adam's state and learning rate from a checkpoint (saveCheckpoint), to resume training. */
  withOptimizer?: boolean;
}

/** A layer's activations and d logit / d activations (NCHW), plus each image's logit. */
export interface Capture extends LayerCapture {
  layer: string;
  logits: Float32Array;
}

/** The default CAM layer: the final feature map after norm5 and ReLU. */
export const DEFAULT_LAYER = 'features';
const DEFAULT_LR = 1e-4;

/** Sets libtorch's intra-op thread count, which is process-wide. */
export function setThreads(threads: number): void {
  nativeEngine().setThreads(checkInt('threads', threads, 1, 1024));
}

export function getThreads(): number {
  return nativeEngine().getThreads();
}

/**
 * Process-wide: libtorch's deterministic algorithms (an op without one then fails), cuDNN deterministic and
 * without autotuning. With a fixed thread count, a run then repeats bit for bit on the same CPU kind.
 */
export function setDeterministic(on: boolean): void {
  nativeEngine().setDeterministic(on);
}

/** Versions and settings for run records: libtorch version, threads, CUDA availability, ATen's CPU kernels. */
export async function engineInfo(): Promise<Record<string, string>> {
  const native = nativeEngine();
  return {
    libtorch: native.version(),
    engine_threads: String(native.getThreads()),
    cuda: native.cudaAvailable() ? 'available' : 'no',
    cpu_kernels: native.cpuCapability(),
  };
}

function checkLearningRate(lr: number): number {
  checkNumber('learningRate', lr, 0, 10);
  if (lr <= 0) throw new InvalidParameterError('learningRate', 'a positive number', lr);
  return lr;
}

/**
 * A DenseNet with its Adam optimiser, running in libtorch. Every call runs off the event loop; calls on one
 * model run one at a time in the order made. Free it with dispose() (or `using`).
 */
export class Model implements Disposable {
  private handle: Handle | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private lr = DEFAULT_LR;
  /** Layer names accepted by capture and gradCam. */
  readonly layers: readonly string[];
  /** What loadPretrained changed, when the model was created from pretrained weights. */
  pretrainedNotes: string[] = [];

  private constructor(
    handle: Handle,
    readonly arch: Arch,
    readonly channels: number,
    readonly device: Device,
  ) {
    this.handle = handle;
    this.layers = nativeEngine().layerNames(handle);
  }

  static async create(opts: CreateOptions): Promise<Model> {
    const arch = checkChoice('arch', opts.arch, ARCH_NAMES);
    const channels = checkInt('channels', opts.channels ?? 1, 1, 64);
    const seed = checkInt('seed', opts.seed, 0);
    // CONFOUND_DEVICE moves callers that name no device (the engine tests, under scripts/device-check.sh) to a GPU.
    const device = resolveDevice(opts.device ?? process.env.CONFOUND_DEVICE ?? 'cpu');
    const lr = checkLearningRate(opts.learningRate ?? DEFAULT_LR);
    const precision = checkChoice('precision', opts.precision ?? 'fp32', PRECISIONS);
    const format = checkChoice('memoryFormat', opts.memoryFormat ?? 'auto', MEMORY_FORMATS);
    const channelsLast = format === 'channels_last' || (format === 'auto' && device === 'cpu');
    setThreads(opts.threads ?? availableParallelism());
    const model = new Model(
      await nativeEngine().create(arch, channels, seed, device, precision, channelsLast),
      arch,
      channels,
      device,
    );
    if (lr !== DEFAULT_LR) await model.setLearningRate(lr);
    if (opts.weights !== undefined) model.pretrainedNotes = await model.loadPretrained(opts.weights);
    return model;
  }

  /** A model from a file written by save or saveCheckpoint; arch and channels come from the file. */
  static async load(path: string, opts: LoadOptions = {}): Promise<Model> {
    const file = await readSafetensors(path);
    const arch = file.metadata.arch;
    if (!arch || !(ARCH_NAMES as string[]).includes(arch)) {
      throw new Error(
        `${path}: metadata names no known architecture (arch=${JSON.stringify(arch)}); ` +
          'for torchvision weights use Model.create({arch, seed, weights: path})',
      );
    }
    const conv0 = file.tensors.find((t) => t.name === 'features.conv0.weight');
    const channels = Number(file.metadata.channels ?? conv0?.shape[1]);
    const model = await Model.create({
      arch: arch as Arch,
      channels,
      seed: 0,
      device: opts.device,
      threads: opts.threads,
      precision: opts.precision,
      memoryFormat: opts.memoryFormat,
    });
    try {
      await model.applyFile(file.tensors, path, opts.withOptimizer ?? false);
      const lr = Number(file.metadata.learning_rate);
      if (opts.withOptimizer && lr > 0) await model.setLearningRate(lr);
    } catch (err) {
      model.dispose();
      throw err;
    }
    return model;
  }

  get learningRate(): number {
    return this.lr;
  }

  /** Runs native calls one at a time; a native failure becomes an Error with this stack and the native text. */
  private run<T>(what: string, call: (native: ReturnType<typeof nativeEngine>, h: Handle) => Promise<T>): Promise<T> {
    const next = this.queue
      .then(() => {
        if (!this.handle) throw new Error('the model has been disposed');
        return call(nativeEngine(), this.handle);
      })
      .catch((err: Error) => {
        throw new Error(`engine ${what}: ${err.message}`, { cause: err });
      });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private checkTrainBatch(
    images: Float32Array,
    targets: Float32Array,
    weights: Float32Array | undefined,
    shape: BatchShape,
  ) {
    checkImages(images, shape, this.channels, this.arch);
    checkPerImage('targets', targets, shape.n, 0, 1);
    return weights === undefined
      ? new Float32Array(shape.n).fill(1)
      : checkPerImage('weights', weights, shape.n, 0, 1e6);
  }

  /**
   * One Adam step on mean_i(weights_i * BCEWithLogits(logit_i, targets_i)) in train mode; resolves to that loss.
   * images: NCHW float32, targets in [0, 1], weights >= 0 (default 1).
   */
  async trainStep(
    images: Float32Array,
    targets: Float32Array,
    weights: Float32Array | undefined,
    shape: BatchShape,
  ): Promise<number> {
    const w = this.checkTrainBatch(images, targets, weights, shape);
    return this.run('trainStep', (n, h) => n.trainStep(h, images, shape.n, shape.height, shape.width, targets, w));
  }

  /** trainStep's loss and its gradient per parameter, without changing parameters, BN statistics or Adam. */
  async lossAndGradients(
    images: Float32Array,
    targets: Float32Array,
    weights: Float32Array | undefined,
    shape: BatchShape,
  ): Promise<{ loss: number; gradients: NamedTensor[] }> {
    const w = this.checkTrainBatch(images, targets, weights, shape);
    return this.run('lossAndGradients', (n, h) =>
      n.lossAndGradients(h, images, shape.n, shape.height, shape.width, targets, w),
    );
  }

  /** Sigmoid probabilities, one per image (eval mode). */
  async predict(images: Float32Array, shape: BatchShape): Promise<Float32Array> {
    checkImages(images, shape, this.channels, this.arch);
    return this.run('predict', (n, h) => n.predict(h, images, shape.n, shape.height, shape.width));
  }

  /** Activations of `layer` and the gradient of each image's logit with respect to them (eval mode). */
  async capture(images: Float32Array, shape: BatchShape, layer = DEFAULT_LAYER): Promise<Capture> {
    checkImages(images, shape, this.channels, this.arch);
    checkChoice('layer', layer, this.layers);
    const out = await this.run('capture', (n, h) => n.camData(h, images, shape.n, shape.height, shape.width, layer));
    const [n, c, height, width] = out.shape;
    return {
      layer,
      activations: out.activations,
      gradients: out.gradients,
      logits: out.logits,
      n,
      c,
      h: height,
      w: width,
    };
  }

  async setLearningRate(lr: number): Promise<void> {
    checkLearningRate(lr);
    await this.run('setLearningRate', (n, h) => n.setLearningRate(h, lr));
    this.lr = lr;
  }

  /** Parameters, buffers (torchvision names) and, after the first step, Adam's state ("optimizer.*"). */
  async getState(): Promise<NamedTensor[]> {
    return this.run('getState', (n, h) => n.getState(h));
  }

  /**
   * Replaces any subset of the state; unknown names or wrong shapes change nothing. With replaceOptimizer,
   * Adam's state becomes the "optimizer.*" entries given (none: a fresh Adam).
   */
  async setState(tensors: NamedTensor[], opts: { replaceOptimizer?: boolean } = {}): Promise<void> {
    await this.run('setState', (n, h) => n.setState(h, tensors, opts.replaceOptimizer ?? false));
  }

  private metadata(kind: 'weights' | 'checkpoint'): Record<string, string> {
    const meta: Record<string, string> = {
      format: 'pt',
      producer: 'confound',
      kind,
      arch: this.arch,
      channels: String(this.channels),
    };
    if (kind === 'checkpoint') meta.learning_rate = String(this.lr);
    return meta;
  }

  /** Weights and BN buffers under torchvision names, loadable by torchvision's load_state_dict. */
  async save(path: string): Promise<void> {
    const state = await this.getState();
    await writeSafetensors(
      path,
      state.filter((t) => !isOptimizerEntry(t.name)),
      this.metadata('weights'),
    );
  }

  /** save plus Adam's state and learning rate, so Model.load(path, {withOptimizer: true}) resumes exactly. */
  async saveCheckpoint(path: string): Promise<void> {
    await writeSafetensors(path, await this.getState(), this.metadata('checkpoint'));
  }

  private async applyFile(tensors: NamedTensor[], source: string, withOptimizer: boolean): Promise<void> {
    const own = (await this.getState()).filter((t) => !isOptimizerEntry(t.name));
    await this.setState(matchState(tensors, own, source, withOptimizer), { replaceOptimizer: true });
  }

  /** Replaces this model's weights with a file from save/saveCheckpoint (same arch and channels); Adam restarts unless withOptimizer. */
  async loadWeights(path: string, opts: { withOptimizer?: boolean } = {}): Promise<void> {
    await this.applyFile((await readSafetensors(path)).tensors, path, opts.withOptimizer ?? false);
  }

  /**
   * ImageNet-pretrained torchvision DenseNet weights from a local safetensors or PyTorch (.pth) file: conv0 summed over RGB
   * for 1 channel, the classifier kept new when its shape differs. Resolves to notes on what was adapted.
   */
  async loadPretrained(path: string): Promise<string[]> {
    const file = await readWeightTensors(path);
    const own = (await this.getState()).filter((t) => !isOptimizerEntry(t.name));
    const { tensors, notes } = adaptPretrained(file, own, path);
    await this.setState(tensors, { replaceOptimizer: true });
    return notes;
  }

  /**
   * Data-parallel training: with a group, every trainStep averages the gradients over its ranks before Adam
   * steps (each rank's BatchNorm uses its own micro-batch, as in DDP without SyncBatchNorm); null detaches.
   */
  async averageGradientsOver(group: ProcessGroup | null): Promise<void> {
    await this.run('averageGradientsOver', (n, h) => n.distAttach(h, group ? group.native : null));
  }

  /** Averages the BatchNorm running statistics over the group's ranks, so all hold the same model. */
  async averageBuffersOver(group: ProcessGroup): Promise<void> {
    await this.run('averageBuffersOver', (n, h) => n.distAverageBuffers(h, group.native));
  }

  /** Frees the native model; a call still running finishes first. Further calls reject. */
  dispose(): void {
    if (this.handle) nativeEngine().dispose(this.handle);
    this.handle = undefined;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
