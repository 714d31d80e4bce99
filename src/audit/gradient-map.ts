import { labelAttention } from '../explain/index.js';
import type { LabelBox } from '../labels/index.js';
import type { TorchScriptScorer } from './torchscript-scorer.js';

export interface GradientImageResult {
  id: string;
  p: number;
  label_attention: number;
  chance: number;
  pointing_hit: boolean;
}

/**
 * Input x gradient (Shrikumar et al., "Not just a black box: learning important features through propagating
 * activation differences", 2016): per pixel |sum over channels of x * d score / d x|, on the normalised input.
 * The magnitude, because a binary score moves either way: covering a "normal"-looking marker raises p.
 */
export async function gradientAttention(
  scorer: TorchScriptScorer,
  items: readonly { id: string; gray: Float32Array; boxes: readonly LabelBox[] }[],
): Promise<{ results: GradientImageResult[]; maps: Float32Array[] }> {
  const S = scorer.preprocess.size,
    C = scorer.preprocess.channels,
    plane = S * S;
  const results: GradientImageResult[] = [];
  const maps: Float32Array[] = [];
  for (let start = 0; start < items.length; start += scorer.batchSize) {
    const chunk = items.slice(start, start + scorer.batchSize);
    const batch = new Float32Array(chunk.length * C * plane);
    chunk.forEach((it, k) => batch.set(scorer.normalize(it.gray), k * C * plane));
    const { p, gradients } = await scorer.gradient(batch, chunk.length);
    chunk.forEach((it, k) => {
      const map = new Float32Array(plane);
      for (let c = 0; c < C; c++) {
        const base = (k * C + c) * plane;
        for (let i = 0; i < plane; i++) map[i] += batch[base + i] * gradients[base + i];
      }
      for (let i = 0; i < plane; i++) map[i] = Math.abs(map[i]);
      const a = labelAttention(map, S, S, it.boxes);
      results.push({
        id: it.id,
        p: p[k],
        label_attention: a.labelAttention,
        chance: a.boxAreaShare,
        pointing_hit: a.pointingHit,
      });
      maps.push(map);
    });
  }
  return { results, maps };
}
