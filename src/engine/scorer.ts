import type { GrayImage } from '../data/index.js';

/** Anything that turns a batch of prepared inputs into probabilities: our engine, an ONNX or a TorchScript model. */
export interface Scorer {
  /** Turns one grayscale image into the model's input (resize, normalise, channels). */
  prepare(img: GrayImage): Float32Array;
  score(batch: Float32Array, n: number): Promise<Float32Array>;
  batchSize: number;
}
