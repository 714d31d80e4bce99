import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { onnxModelType } from '../infer/index.js';
import { checkPreprocess, type Preprocess } from './preprocess.js';
import { resolveSpec, specFromOnnxMetadata, type Activation, type PreprocessRequest } from './presets.js';
import { PreparedInput, ScoreReader, type AuditScorer, type ScorerInfo } from './scores.js';

export type { Activation, ScorerInfo };

/**
 * The preprocessing fields (inputSize is needed when the model's input side is not fixed and must agree with it
 * when it is) over a preset, a sidecar JSON and the model's metadata_props; see presets.ts.
 */
export interface OnnxScorerOptions extends PreprocessRequest {
  /** Which element of the output vector is the score (default: the last). */
  outputIndex?: number;
  /** Output name (default: the model's first output). */
  output?: string;
  batchSize?: number;
  /** onnxruntime intra-op threads (default: onnxruntime's choice). */
  threads?: number;
}

const FLOAT_TYPES = new Set(['float32', 'float64']);

/** Which op produces each graph output (to tell probabilities from logits); empty when the graph cannot be read. */
function outputProducers(bytes: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const model = onnxModelType().toObject(onnxModelType().decode(bytes)) as {
      graph?: { node?: { op_type?: string; output?: string[] }[] };
    };
    for (const node of model.graph?.node ?? []) for (const o of node.output ?? []) out.set(o, node.op_type ?? '');
  } catch {
    /* not decodable with our subset: fall back to looking at the values */
  }
  return out;
}

/**
 * A Scorer over an ONNX model run by onnxruntime-node on the CPU. Checks the model's input (one float tensor
 * [N, C, H, W], H = W) and output (a float tensor [N] or [N, K]) on load, with errors naming the file.
 */
export class OnnxScorer extends PreparedInput implements AuditScorer {
  readonly batchSize: number;
  private readonly reader: ScoreReader;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly path: string,
    preprocess: Preprocess,
    private readonly inputName: string,
    private readonly inputShape: (number | string)[],
    private readonly outputName: string,
    private readonly outputIndex: number | undefined,
    private readonly fixedBatch: number | undefined,
    batchSize: number,
    activation: Activation,
    producer: string | undefined,
    private readonly preprocessSource: string,
  ) {
    super(preprocess);
    this.batchSize = fixedBatch ?? batchSize;
    this.reader = new ScoreReader(path, outputName, outputIndex, activation, preprocessSource, producer);
  }

  static async load(path: string, opts: OnnxScorerOptions = {}): Promise<OnnxScorer> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(
        `${path}: ${code === 'ENOENT' ? 'no such model file' : `cannot read model (${(err as Error).message})`}`,
      );
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        ...(opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {}),
      });
    } catch (err) {
      throw new Error(`${path}: not a loadable ONNX model (${(err as Error).message.split('\n')[0]})`);
    }
    if (session.inputNames.length !== 1)
      throw new Error(
        `${path}: the model has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}); an image classifier with one input is needed`,
      );
    const input = session.inputMetadata[0];
    if (!input.isTensor || input.type !== 'float32')
      throw new Error(
        `${path}: input "${input.name}" is ${input.isTensor ? input.type : 'not a tensor'}; a float32 tensor is needed`,
      );
    const shape = [...input.shape];
    if (shape.length !== 4)
      throw new Error(
        `${path}: input "${input.name}" has rank ${shape.length} [${shape.join(', ')}]; an image input [N, C, H, W] (rank 4) is needed`,
      );
    const [nDim, cDim, hDim, wDim] = shape;
    if (typeof hDim === 'number' && typeof wDim === 'number' && hDim !== wDim)
      throw new Error(`${path}: input "${input.name}" is ${hDim} x ${wDim}; only square inputs are supported`);
    const { spec, source } = await resolveSpec(path, opts, specFromOnnxMetadata(bytes, path));
    const fixedSide = typeof hDim === 'number' ? hDim : typeof wDim === 'number' ? wDim : undefined;
    if (fixedSide !== undefined && spec.size !== undefined && spec.size !== fixedSide)
      throw new Error(
        `${path}: input size ${spec.size} (from ${source}) but the model's input is fixed at ${fixedSide}`,
      );
    const size = fixedSide ?? spec.size;
    if (size === undefined)
      throw new Error(
        `${path}: the model's input size is not fixed ([${shape.join(', ')}]); give --input-size (or --preset)`,
      );
    if (typeof cDim === 'number' && cDim !== 1 && cDim !== 3)
      throw new Error(`${path}: input "${input.name}" has ${cDim} channels; 1 or 3 are supported`);
    if (typeof cDim === 'number' && spec.channels !== undefined && spec.channels !== cDim)
      throw new Error(`${path}: ${spec.channels} channel(s) (from ${source}) but the model's input has ${cDim}`);
    const channels = (typeof cDim === 'number' ? cDim : spec.channels) as 1 | 3 | undefined;
    if (channels === undefined)
      throw new Error(
        `${path}: the model's channel count is not fixed ([${shape.join(', ')}]); give --channels 1 or 3`,
      );
    const preprocess = checkPreprocess({
      size,
      channels,
      mean: spec.mean ?? [0],
      std: spec.std ?? [1],
      resize: spec.resize ?? 'stretch',
      ...(spec.center_crop != null ? { centerCrop: spec.center_crop } : {}),
      ...(spec.range ? { range: spec.range } : {}),
    });

    const outName = opts.output ?? session.outputNames[0];
    const outMeta = session.outputMetadata.find((m) => m.name === outName);
    if (!outMeta) throw new Error(`${path}: no output named "${outName}" (outputs: ${session.outputNames.join(', ')})`);
    if (!outMeta.isTensor || !FLOAT_TYPES.has(outMeta.type))
      throw new Error(
        `${path}: output "${outName}" is ${outMeta.isTensor ? `a ${outMeta.type} tensor` : 'not a tensor'}; a float tensor of scores is needed`,
      );
    if (outMeta.shape.length > 2 && outMeta.shape.slice(2).some((d) => d !== 1))
      throw new Error(
        `${path}: output "${outName}" has shape [${outMeta.shape.join(', ')}]; scores [N] or [N, K] are needed`,
      );
    const k = outMeta.shape.length >= 2 && typeof outMeta.shape[1] === 'number' ? outMeta.shape[1] : undefined;
    if (opts.outputIndex !== undefined && k !== undefined && opts.outputIndex >= k)
      throw new Error(`${path}: --output-index ${opts.outputIndex} but output "${outName}" has ${k} values per image`);
    const fixedBatch = typeof nDim === 'number' ? nDim : undefined;
    return new OnnxScorer(
      session,
      path,
      preprocess,
      input.name,
      shape,
      outName,
      opts.outputIndex,
      fixedBatch,
      opts.batchSize ?? 8,
      spec.activation ?? 'auto',
      outputProducers(bytes).get(outName),
      source,
    );
  }

  /** Names of every model output (for CAM feature maps). */
  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** Run n prepared inputs (concatenated) and return the requested outputs, batch padding handled. */
  async run(batch: Float32Array, n: number, outputs: readonly string[]): Promise<Record<string, ort.Tensor>> {
    const { size, channels } = this.preprocess;
    const per = channels * size * size;
    if (batch.length !== n * per)
      throw new Error(`${this.path}: batch of ${batch.length} values is not ${n} inputs of ${per}`);
    let data = batch,
      rows = n;
    if (this.fixedBatch !== undefined && n !== this.fixedBatch) {
      if (n > this.fixedBatch) throw new Error(`${this.path}: the model's batch size is fixed at ${this.fixedBatch}`);
      data = new Float32Array(this.fixedBatch * per);
      data.set(batch);
      rows = this.fixedBatch;
    }
    const feeds = { [this.inputName]: new ort.Tensor('float32', data, [rows, channels, size, size]) };
    try {
      return await this.session.run(feeds, [...outputs]);
    } catch (err) {
      throw new Error(`${this.path}: inference failed (${(err as Error).message.split('\n')[0]})`);
    }
  }

  async score(batch: Float32Array, n: number): Promise<Float32Array> {
    const t = (await this.run(batch, n, [this.outputName]))[this.outputName];
    return this.toProbabilities(t, n);
  }

  /** Pick the score element of each image's output row and turn it into a probability. */
  private toProbabilities(t: ort.Tensor, n: number): Float32Array {
    const data = t.data as Float32Array | Float64Array;
    const rows = t.dims[0] ?? 1;
    const k = t.dims.length === 0 ? 1 : data.length / rows;
    if (t.dims.length === 0 || rows < n || !Number.isInteger(k))
      throw new Error(
        `${this.path}: output "${this.outputName}" has shape [${t.dims.join(', ')}]; one row per image is needed`,
      );
    return this.reader.read(data, n, k);
  }

  info(): ScorerInfo {
    return {
      model: this.path,
      format: 'onnx',
      input: this.inputName,
      input_shape: this.inputShape,
      output: this.outputName,
      output_index: this.reader.index ?? this.outputIndex ?? -1,
      activation: this.reader.activation ?? 'undecided',
      activation_reason: this.reader.reason,
      preprocess: this.preprocess,
      preprocess_source: this.preprocessSource,
    };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
