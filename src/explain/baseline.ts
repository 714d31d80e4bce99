/**
 * Grad-CAM relative to an empty film. DenseNet's final features are pooled and fed to one linear unit, so
 * sum_x sum_k w_k A_k(x) is exactly the logit (less the bias) times the map's area: the map splits the logit
 * among positions. An empty (black) film has features too, the same at every position (normalisation shifts and
 * zero padding), and Grad-CAM spreads that constant over the whole image, burying a small region that decides the
 * answer under mass from blank film. Subtracting the empty film's activations makes the map split the
 * *difference* between this image's logit and the empty film's: black surroundings get nothing, and the map's
 * mass is the evidence the image's content adds.
 */
import type { Model } from '../engine/index.js';
import type { LayerCapture } from './cam.js';

export type CamBaseline = 'black' | 'none';
export const CAM_BASELINES: readonly CamBaseline[] = ['black', 'none'];

/** Activations of `layer` for one all-black input (raw intensity 0, normalised with mean/std). */
export async function emptyFilmActivations(
  model: Pick<Model, 'capture'>,
  size: number,
  mean: number,
  std: number,
  layer?: string,
): Promise<Float32Array> {
  const input = new Float32Array(size * size).fill((0 - mean) / std);
  return (await model.capture(input, { n: 1, height: size, width: size }, layer)).activations;
}

/** The capture with the empty film's activations taken from every image's (gradients unchanged). */
export function relativeToBaseline(cap: LayerCapture, baseline: Float32Array): LayerCapture {
  const per = cap.c * cap.h * cap.w;
  if (baseline.length !== per)
    throw new Error(`baseline activations have ${baseline.length} values, the layer has ${per} per image`);
  const activations = new Float32Array(cap.activations.length);
  for (let i = 0; i < cap.n; i++)
    for (let j = 0; j < per; j++) activations[i * per + j] = cap.activations[i * per + j] - baseline[j];
  return { ...cap, activations };
}
