import { access } from 'node:fs/promises';
import { InvalidParameterError, checkChoice, checkInt } from '../util/index.js';
import type { LayerCapture } from './capture.js';
import { resolveDevice, type Device } from './device.js';
import { nativeEngine, type ScriptHandle } from './native.js';

/** Geometry of a batch for a TorchScript model (NCHW). */
export interface ScriptBatch {
  n: number;
  channels: number;
  height: number;
  width: number;
}

function checkBatch(images: Float32Array, b: ScriptBatch): void {
  for (const k of ['n', 'channels', 'height', 'width'] as const) checkInt(k, b[k], 1, 65536);
  const expected = b.n * b.channels * b.height * b.width;
  if (!(images instanceof Float32Array) || images.length !== expected) {
    throw new InvalidParameterError(
      'images',
      `a Float32Array of ${b.n}*${b.channels}*${b.height}*${b.width} = ${expected} values`,
      images,
    );
  }
}

/**
 * A user's TorchScript model (torch.jit.script or trace, then .save) run by libtorch's torch::jit::load in the
 * addon: forward and the gradient of one output with respect to the input. Dispose it when done.
 */
export class TorchScriptModel implements Disposable {
  private handle: ScriptHandle | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    handle: ScriptHandle,
    readonly path: string,
    readonly device: Device,
  ) {
    this.handle = handle;
  }

  static async load(path: string, choice: string = 'cpu'): Promise<TorchScriptModel> {
    const device: Device = resolveDevice(choice);
    try {
      await access(path);
    } catch {
      throw new Error(`${path}: no such model file`);
    }
    try {
      return new TorchScriptModel(await nativeEngine().scriptLoad(path, device), path, device);
    } catch (err) {
      const msg = (err as Error).message;
      if (/libtorch engine is not available/.test(msg)) throw err;
      throw new Error(`${path}: not a loadable TorchScript model (${msg.split('\n')[0]})`);
    }
  }

  private live(): ScriptHandle {
    if (!this.handle) throw new Error(`${this.path}: the TorchScript model has been disposed`);
    return this.handle;
  }

  /** Calls run one at a time, in order. */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** A checked batch through one native call, after the calls before it; its error names the model file. */
  private call<T>(images: Float32Array, b: ScriptBatch, native: (h: ScriptHandle) => Promise<T>): Promise<T> {
    checkBatch(images, b);
    const h = this.live();
    return this.serial(() =>
      native(h).catch((err: Error) => {
        throw new Error(`${this.path}: ${err.message.split('\n')[0]}`);
      }),
    );
  }

  /** The model's first tensor output as [n, k] rows. */
  forward(images: Float32Array, b: ScriptBatch): Promise<{ k: number; data: Float32Array }> {
    return this.call(images, b, (h) =>
      nativeEngine()
        .scriptForward(h, images, b.n, b.channels, b.height, b.width)
        .then((r) => ({ k: r.shape[1], data: r.data })),
    );
  }

  /** Outputs [n, k] and d output[:, index] / d images (NCHW). */
  gradient(
    images: Float32Array,
    b: ScriptBatch,
    index: number,
  ): Promise<{ k: number; outputs: Float32Array; gradients: Float32Array }> {
    checkInt('output index', index, 0);
    return this.call(images, b, (h) =>
      nativeEngine()
        .scriptGradient(h, images, b.n, b.channels, b.height, b.width, index)
        .then((r) => ({ k: r.shape[1], outputs: r.outputs, gradients: r.gradients })),
    );
  }

  /** Dotted names of the model's submodules ("features", "features.0", ...), the layers capture() can read. */
  layers(): string[] {
    return nativeEngine().scriptLayers(this.live());
  }

  /**
   * Submodule `layer`'s output (a feature map [n, c, h, w]) and d output[:, index] / d that output, with the model's
   * outputs [n, k]: what Grad-CAM needs. The capture's `logits` are output[:, index]. TorchScript takes no hooks;
   * the addon runs a copy of the model whose layer keeps its output (native/scripted.cc).
   */
  capture(
    images: Float32Array,
    b: ScriptBatch,
    index: number,
    layer: string,
  ): Promise<{ k: number; outputs: Float32Array; capture: LayerCapture }> {
    checkInt('output index', index, 0);
    checkChoice('layer', layer, this.layers());
    return this.call(images, b, (h) =>
      nativeEngine()
        .scriptCapture(h, images, b.n, b.channels, b.height, b.width, index, layer)
        .then((r) => {
          const [n, c, hh, w] = r.activationShape;
          const k = r.shape[1];
          const logits = Float32Array.from({ length: n }, (_, i) => r.outputs[i * k + index]);
          const capture = { activations: r.activations, gradients: r.gradients, logits, n, c, h: hh, w };
          return { k, outputs: r.outputs, capture };
        }),
    );
  }

  dispose(): void {
    if (this.handle) nativeEngine().scriptDispose(this.handle);
    this.handle = undefined;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
