import type { LayerCapture } from '../engine/index.js';

export type { LayerCapture };

/**
 * Whose evidence a map shows. The model has one logit, for abnormal; the normal class's score is its negative.
 * 'predicted' follows each image's decision, so an image called normal shows what made it normal (with
 * 'abnormal' such a map shows only what argued against the decision).
 */
export const CAM_TARGETS = ['abnormal', 'normal', 'predicted'] as const;
export type CamTarget = (typeof CAM_TARGETS)[number];

/** One saliency map per image at the layer's resolution (n * h * w). */
export interface CamMaps {
  maps: Float32Array;
  n: number;
  h: number;
  w: number;
}

/**
 * Class activation maps from a captured layer: ReLU(sum_k W_kp A_kp). Subclasses choose the weights W (one per
 * channel, or one per channel and position); the target's sign, the weighted sum and the ReLU are shared.
 */
export abstract class BaseCam {
  abstract readonly name: string;

  /** Weights for image i: c x (h*w) numbers, channel-major, from gradients already signed for the target. */
  protected abstract weights(cap: LayerCapture, i: number): Float64Array;

  compute(cap: LayerCapture, target: CamTarget = 'abnormal'): CamMaps {
    const { n, c, h, w } = cap;
    const plane = h * w;
    const maps = new Float32Array(n * plane);
    const scored = forTarget(cap, target);
    for (let i = 0; i < n; i++) {
      const weights = this.weights(scored, i);
      const acc = new Float64Array(plane);
      for (let k = 0; k < c; k++) {
        const base = (i * c + k) * plane;
        for (let p = 0; p < plane; p++) acc[p] += weights[k * plane + p] * cap.activations[base + p];
      }
      for (let p = 0; p < plane; p++) maps[i * plane + p] = Math.max(0, acc[p]);
    }
    return { maps, n, h, w };
  }
}

/** Methods with one weight per channel (Grad-CAM, Grad-CAM++): alpha_k, the same at every position. */
export abstract class ChannelCam extends BaseCam {
  /** Channel weights for image i: c numbers. */
  protected abstract channelWeights(cap: LayerCapture, i: number): Float64Array;

  protected weights(cap: LayerCapture, i: number): Float64Array {
    const plane = cap.h * cap.w;
    const alpha = this.channelWeights(cap, i);
    const out = new Float64Array(cap.c * plane);
    for (let k = 0; k < cap.c; k++) out.fill(alpha[k], k * plane, (k + 1) * plane);
    return out;
  }
}

/** The capture with each image's gradients those of its target's score: the logit, or its negative for normal. */
function forTarget(cap: LayerCapture, target: CamTarget): LayerCapture {
  if (target === 'abnormal') return cap;
  if (target === 'predicted' && !cap.logits) throw new Error('the predicted-class target needs the captured logits');
  const size = cap.c * cap.h * cap.w;
  const gradients = cap.gradients.slice();
  for (let i = 0; i < cap.n; i++) {
    if (target === 'predicted' && cap.logits![i] >= 0) continue;
    for (let j = i * size; j < (i + 1) * size; j++) gradients[j] = -gradients[j];
  }
  return { ...cap, gradients };
}

/** Channel weights read from each channel's own gradients (and activations) alone. */
abstract class PerChannelGradientCam extends ChannelCam {
  /** alpha_k from channel k's h*w gradients and activations. */
  protected abstract channelWeight(gradients: Float32Array, activations: Float32Array): number;

  protected channelWeights(cap: LayerCapture, i: number): Float64Array {
    const plane = cap.h * cap.w;
    const alpha = new Float64Array(cap.c);
    for (let k = 0; k < cap.c; k++) {
      const base = (i * cap.c + k) * plane;
      alpha[k] = this.channelWeight(
        cap.gradients.subarray(base, base + plane),
        cap.activations.subarray(base, base + plane),
      );
    }
    return alpha;
  }
}

/**
 * Grad-CAM: alpha_k = mean over positions of dy/dA_k.
 * Selvaraju et al., "Grad-CAM", ICCV 2017, eq. 1-2.
 */
export class GradCam extends PerChannelGradientCam {
  readonly name = 'gradcam';
  protected channelWeight(gradients: Float32Array): number {
    let s = 0;
    for (const g of gradients) s += g;
    return s / gradients.length;
  }
}

/**
 * Grad-CAM++: alpha_k = sum_ij a_kij ReLU(g_kij), a_kij = g^2 / (2 g^2 + sum_ab A_kab g^3), taking the
 * exponential link so higher derivatives are powers of the first.
 * Chattopadhay et al., "Grad-CAM++", WACV 2018, eq. 19.
 */
export class GradCamPlusPlus extends PerChannelGradientCam {
  readonly name = 'gradcam++';
  protected channelWeight(gradients: Float32Array, activations: Float32Array): number {
    let sumA = 0;
    for (const a of activations) sumA += a;
    let weight = 0;
    for (const g of gradients) {
      const g2 = g * g;
      const denom = 2 * g2 + sumA * g2 * g;
      const a = denom !== 0 ? g2 / denom : 0;
      weight += a * Math.max(0, g);
    }
    return weight;
  }
}

/**
 * Maps weighted position by position, not channel by channel: ReLU(sum_k w(g_kp) A_kp). Channel-averaged weights
 * credit a channel everywhere it fires; at a layer with small receptive fields that lights up every high-contrast
 * edge (letters included) in channels the decision uses elsewhere. Per-position gradients credit only where the
 * score is sensitive.
 */
abstract class PositionCam extends BaseCam {
  protected abstract weight(g: number): number;

  protected weights(cap: LayerCapture, i: number): Float64Array {
    const per = cap.c * cap.h * cap.w;
    return Float64Array.from(cap.gradients.subarray(i * per, (i + 1) * per), (g) => this.weight(g));
  }
}

/** LayerCAM: ReLU(sum_k ReLU(g_kp) A_kp). Jiang et al., "LayerCAM", IEEE TIP 2021, eq. 4-5. */
export class LayerCam extends PositionCam {
  readonly name = 'layercam';
  protected weight(g: number): number {
    return Math.max(0, g);
  }
}

/**
 * Gradient x activation at the layer: ReLU(sum_k g_kp A_kp). Against a baseline it is the first-order split of
 * score(image) - score(baseline) over positions; at the final layer of a GAP + linear head it equals Grad-CAM.
 */
export class GradientTimesActivation extends PositionCam {
  readonly name = 'gradxact';
  protected weight(g: number): number {
    return g;
  }
}

export const CAM_METHODS = {
  gradcam: GradCam,
  'gradcam++': GradCamPlusPlus,
  layercam: LayerCam,
  gradxact: GradientTimesActivation,
} as const;
export type CamMethod = keyof typeof CAM_METHODS;
