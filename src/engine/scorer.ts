import type { GrayImage, Rect } from '../data/index.js';

/** An image equal to another outside the `changed` rects (image pixels), e.g. the same film with boxes covered. */
export interface ImageVariant {
  image: GrayImage;
  changed: readonly Rect[];
}

/** Anything that turns a batch of prepared inputs into probabilities: our engine, an ONNX or a TorchScript model. */
export interface Scorer {
  /** Turns one grayscale image into the model's input (resize, normalise, channels). */
  prepare(img: GrayImage): Float32Array;
  /**
   * Optional: the inputs of img and of each variant of it, equal to prepare() of each but sharing the work (the
   * audit's scorers resample img once and redo only what the changed rects reach).
   */
  prepareVariants?(img: GrayImage, variants: readonly ImageVariant[]): Float32Array[];
  score(batch: Float32Array, n: number): Promise<Float32Array>;
  batchSize: number;
}
