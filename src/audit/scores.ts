import type { GrayImage } from '../data/index.js';
import type { Scorer } from '../explain/index.js';
import type { ImageVariant } from '../engine/index.js';
import type { Activation } from './presets.js';
import { normalizeInput, resizeToModel, resizeVariants, type Preprocess, type Resized } from './preprocess.js';

/** What was run and how, for the audit record. */
export interface ScorerInfo {
  model: string;
  /** onnx (onnxruntime) or torchscript (libtorch). */
  format: 'onnx' | 'torchscript';
  input: string;
  input_shape: (number | string)[];
  output: string;
  output_index: number;
  activation: Exclude<Activation, 'auto'> | 'undecided';
  activation_reason: string;
  preprocess: Preprocess;
  /** Where the preprocessing came from (metadata, sidecar, preset, options; weakest first). */
  preprocess_source: string;
}

/** What the audit needs of a model, whatever runs it. */
export interface AuditScorer extends Scorer {
  readonly path: string;
  readonly preprocess: Preprocess;
  resize(img: GrayImage): Resized;
  normalize(gray: Float32Array): Float32Array;
  info(): ScorerInfo;
  close(): Promise<void>;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * Turns a model's output rows [n, k] into one probability per image: picks the score element (default the
 * last) and applies the activation. Auto: decided once, on the first batch (any value outside [0, 1] means logits),
 * then kept for the run, unless the output is known to come from a Sigmoid or Softmax.
 */
export class ScoreReader {
  activation: Exclude<Activation, 'auto'> | undefined;
  reason = '';
  index: number | undefined;

  constructor(
    private readonly path: string,
    private readonly output: string,
    private readonly outputIndex: number | undefined,
    activation: Activation,
    source: string,
    producer?: string,
  ) {
    if (activation !== 'auto') {
      this.activation = activation;
      this.reason = `given (${source})`;
    } else if (producer === 'Sigmoid' || producer === 'Softmax') {
      this.activation = 'none';
      this.reason = `output made by a ${producer} node: already probabilities`;
    }
  }

  /** The score element's index for rows of k values (validated). */
  indexFor(k: number): number {
    const idx = this.outputIndex ?? k - 1;
    if (idx >= k)
      throw new Error(`${this.path}: --output-index ${idx} but output "${this.output}" has ${k} values per image`);
    this.index = idx;
    return idx;
  }

  read(data: ArrayLike<number>, n: number, k: number): Float32Array {
    const idx = this.indexFor(k);
    if (this.activation === undefined) {
      let outside = false;
      for (let i = 0; i < n * k; i++)
        if (!(data[i] >= 0 && data[i] <= 1)) {
          outside = true;
          break;
        }
      this.activation = outside ? 'sigmoid' : 'none';
      this.reason = outside
        ? 'auto: first batch had values outside [0, 1], read as logits'
        : 'auto: first batch all within [0, 1], read as probabilities';
    }
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const row = i * k;
      const v = data[row + idx];
      if (this.activation === 'sigmoid') out[i] = sigmoid(v);
      else if (this.activation === 'softmax') {
        let max = -Infinity;
        for (let j = 0; j < k; j++) max = Math.max(max, data[row + j]);
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Math.exp(data[row + j] - max);
        out[i] = Math.exp(v - max) / sum;
      } else out[i] = v;
      if (!Number.isFinite(out[i]))
        throw new Error(`${this.path}: output "${this.output}" gave a non-finite score (${v})`);
    }
    return out;
  }
}

/** The input side every audit scorer shares: resize to the model's input, normalise, both from one Preprocess. */
export abstract class PreparedInput {
  constructor(readonly preprocess: Preprocess) {}

  resize(img: GrayImage): Resized {
    return resizeToModel(img, this.preprocess);
  }
  normalize(gray: Float32Array): Float32Array {
    return normalizeInput(gray, this.preprocess);
  }
  prepare(img: GrayImage): Float32Array {
    return this.normalize(this.resize(img).gray);
  }
  prepareVariants(img: GrayImage, variants: readonly ImageVariant[]): Float32Array[] {
    return resizeVariants(img, variants, this.preprocess).map((gray) => this.normalize(gray));
  }
}
