import type { Device } from '../engine/index.js';
import type { LayerCapture, TorchScriptModel } from '../engine/index.js';
import { checkPreprocess, type Preprocess } from './preprocess.js';
import { resolveSpec, type PreprocessRequest } from './presets.js';
import { PreparedInput, ScoreReader, type AuditScorer, type ScorerInfo } from './scores.js';

export interface TorchScriptScorerOptions extends PreprocessRequest {
  outputIndex?: number;
  batchSize?: number;
  device?: Device;
}

/** Model files read as TorchScript (everything else is ONNX). */
export function isTorchScriptPath(path: string): boolean {
  return /\.(pt|pth|ts|torchscript|jit)$/i.test(path);
}

/**
 * A scorer over a TorchScript model run by libtorch (the addon's torch::jit::load), CPU or CUDA, with the same
 * preprocessing and score reading as the ONNX scorer. A scripted module does not state its input size and
 * channels: they come from --input-size / --channels, a preset or a sidecar. Also gives input gradients.
 */
export class TorchScriptScorer extends PreparedInput implements AuditScorer {
  readonly batchSize: number;
  private readonly reader: ScoreReader;

  private constructor(
    private readonly model: TorchScriptModel,
    readonly path: string,
    preprocess: Preprocess,
    private readonly source: string,
    opts: TorchScriptScorerOptions,
    activation: PreprocessRequest['activation'],
  ) {
    super(preprocess);
    this.batchSize = opts.batchSize ?? 8;
    this.reader = new ScoreReader(path, 'output', opts.outputIndex, activation ?? 'auto', source);
  }

  static async load(path: string, opts: TorchScriptScorerOptions = {}): Promise<TorchScriptScorer> {
    const { spec, source } = await resolveSpec(path, opts, null);
    if (spec.size === undefined)
      throw new Error(
        `${path}: a TorchScript model does not state its input size; give --input-size (or --preset, or a sidecar ${path}.json)`,
      );
    if (spec.channels === undefined)
      throw new Error(
        `${path}: a TorchScript model does not state its channels; give --channels 1 or 3 (or --preset, or a sidecar ${path}.json)`,
      );
    const preprocess = checkPreprocess({
      size: spec.size,
      channels: spec.channels,
      mean: spec.mean ?? [0],
      std: spec.std ?? [1],
      resize: spec.resize ?? 'stretch',
      ...(spec.center_crop != null ? { centerCrop: spec.center_crop } : {}),
      ...(spec.range ? { range: spec.range } : {}),
    });
    const { TorchScriptModel } = await import('../engine/index.js');
    const model = await TorchScriptModel.load(path, opts.device ?? 'cpu');
    return new TorchScriptScorer(model, path, preprocess, source, opts, spec.activation);
  }

  private batch(n: number) {
    const { size, channels } = this.preprocess;
    return { n, channels, height: size, width: size };
  }

  async score(batch: Float32Array, n: number): Promise<Float32Array> {
    const r = await this.model.forward(batch, this.batch(n));
    return this.reader.read(r.data, n, r.k);
  }

  /**
   * d (score element) / d input for n prepared inputs, NCHW, with the probabilities. The gradient is of the raw
   * output element (the logit for a logit head), before the activation the reader applies.
   */
  async gradient(batch: Float32Array, n: number): Promise<{ p: Float32Array; gradients: Float32Array }> {
    if (this.reader.index === undefined) await this.score(batch.subarray(0, batch.length / n), 1);
    const r = await this.model.gradient(batch, this.batch(n), this.reader.index!);
    return { p: this.reader.read(r.outputs, n, r.k), gradients: r.gradients };
  }

  /** Dotted names of the model's submodules (what --cam-layer can name). */
  layers(): string[] {
    return this.model.layers();
  }

  /**
   * Submodule `layer`'s output and d (score element) / d that output, for n prepared inputs. The capture's logits
   * are logit(p) of the read probabilities, so a 'predicted' CAM target follows p >= 0.5 whatever the activation.
   */
  async capture(batch: Float32Array, n: number, layer: string): Promise<{ p: Float32Array; capture: LayerCapture }> {
    if (this.reader.index === undefined) await this.score(batch.subarray(0, batch.length / n), 1);
    const r = await this.model.capture(batch, this.batch(n), this.reader.index!, layer);
    const p = this.reader.read(r.outputs, n, r.k);
    const logits = Float32Array.from(p, (q) => Math.log(q / (1 - q)));
    return { p, capture: { ...r.capture, logits } };
  }

  info(): ScorerInfo {
    const { size, channels } = this.preprocess;
    return {
      model: this.path,
      format: 'torchscript',
      input: 'input',
      input_shape: ['N', channels, size, size],
      output: 'output',
      output_index: this.reader.index ?? -1,
      activation: this.reader.activation ?? 'undecided',
      activation_reason: this.reader.reason,
      preprocess: this.preprocess,
      preprocess_source: this.source,
    };
  }

  async close(): Promise<void> {
    this.model.dispose();
  }
}
