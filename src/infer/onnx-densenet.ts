import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { ARCH_NAMES, readSafetensors, type Arch, type BatchShape, type Capture } from '../engine/index.js';
import { checkChoice } from '../util/index.js';
import { densenetOnnx, ONNX_FEATURES, ONNX_INPUT, ONNX_LOGIT } from './densenet-onnx.js';

export interface OnnxDenseNetOptions {
  /** onnxruntime intra-op threads (default: every core). */
  threads?: number;
}

/**
 * A trained DenseNet (weights file from Model.save) run by onnxruntime on the CPU: the same probabilities as
 * Model.predict, and the final layer's activations for CAM methods that need only those (at the final layer,
 * d logit / d A[c, y, x] = classifier weight c / (h * w), so no backward pass is needed).
 */
export class OnnxDenseNet {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly arch: Arch,
    readonly channels: number,
    private readonly classifier: Float32Array,
  ) {}

  static async load(path: string, opts: OnnxDenseNetOptions = {}): Promise<OnnxDenseNet> {
    const file = await readSafetensors(path);
    const arch = checkChoice(`${path}: arch`, file.metadata.arch ?? '', ARCH_NAMES);
    const classifier = file.tensors.find((t) => t.name === 'classifier.weight');
    const conv0 = file.tensors.find((t) => t.name === 'features.conv0.weight');
    if (!classifier || !conv0)
      throw new Error(`${path}: not a confound DenseNet weights file (no classifier or conv0 weight)`);
    const session = await ort.InferenceSession.create(densenetOnnx(arch, file.tensors), {
      intraOpNumThreads: opts.threads ?? availableParallelism(),
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new OnnxDenseNet(session, arch, conv0.shape[1], classifier.data as Float32Array);
  }

  private async run(
    images: Float32Array,
    shape: BatchShape,
    outputs: string[],
  ): Promise<ort.InferenceSession.ReturnType> {
    const expected = shape.n * this.channels * shape.height * shape.width;
    if (images.length !== expected)
      throw new Error(
        `onnx densenet: ${images.length} values for ${shape.n} images of ${this.channels}x${shape.height}x${shape.width}`,
      );
    const input = new ort.Tensor('float32', images, [shape.n, this.channels, shape.height, shape.width]);
    return this.session.run({ [ONNX_INPUT]: input }, outputs);
  }

  /** Sigmoid probabilities, as Model.predict. */
  async predict(images: Float32Array, shape: BatchShape): Promise<Float32Array> {
    const logits = (await this.run(images, shape, [ONNX_LOGIT]))[ONNX_LOGIT].data as Float32Array;
    return Float32Array.from(logits, (z) => 1 / (1 + Math.exp(-z)));
  }

  /** Model.capture at the final layer ('features'), without a backward pass. */
  async capture(images: Float32Array, shape: BatchShape): Promise<Capture> {
    const out = await this.run(images, shape, [ONNX_LOGIT, ONNX_FEATURES]);
    const features = out[ONNX_FEATURES];
    const [n, c, h, w] = features.dims;
    const gradients = new Float32Array(n * c * h * w);
    for (let ch = 0; ch < c; ch++) {
      const g = this.classifier[ch] / (h * w);
      for (let i = 0; i < n; i++) gradients.fill(g, (i * c + ch) * h * w, (i * c + ch + 1) * h * w);
    }
    return {
      layer: 'features',
      activations: features.data as Float32Array,
      gradients,
      logits: out[ONNX_LOGIT].data as Float32Array,
      n,
      c,
      h,
      w,
    };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
