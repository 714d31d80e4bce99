/** Activations of one layer and the gradients of the logit with respect to them, NCHW. */
export interface LayerCapture {
  activations: Float32Array;
  gradients: Float32Array;
  /** The abnormal logit per image (needed for the 'predicted' target). */
  logits?: Float32Array;
  n: number;
  c: number;
  h: number;
  w: number;
}
