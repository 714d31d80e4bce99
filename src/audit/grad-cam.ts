import { CAM_METHODS, labelAttention, upsample } from '../explain/index.js';
import type { LabelBox } from '../labels/index.js';
import type { CamAttentionResult } from './cam.js';
import type { TorchScriptScorer } from './torchscript-scorer.js';

/**
 * Grad-CAM at a named submodule of a TorchScript model (Selvaraju et al., ICCV 2017; explain's GradCam), for each
 * image's predicted class: a binary score's "normal" class has the negated logit, so an image called normal shows
 * what made it normal (as pytorch-grad-cam's BinaryClassifierOutputTarget). The ReLU'd map is upsampled bilinearly
 * to the input and its share on the boxes (already in model pixels) measured.
 */
export async function gradCamAttention(
  scorer: TorchScriptScorer,
  layer: string,
  items: readonly { id: string; gray: Float32Array; boxes: readonly LabelBox[] }[],
): Promise<{ results: CamAttentionResult[]; maps: Float32Array[] }> {
  const S = scorer.preprocess.size;
  const per = scorer.preprocess.channels * S * S;
  const results: CamAttentionResult[] = [];
  const maps: Float32Array[] = [];
  for (let start = 0; start < items.length; start += scorer.batchSize) {
    const chunk = items.slice(start, start + scorer.batchSize);
    const batch = new Float32Array(chunk.length * per);
    chunk.forEach((it, k) => batch.set(scorer.normalize(it.gray), k * per));
    const { capture } = await scorer.capture(batch, chunk.length, layer);
    const { h, w } = capture;
    const cams = new CAM_METHODS.gradcam().compute(capture, 'predicted');
    chunk.forEach((it, k) => {
      const map = upsample(cams.maps.subarray(k * h * w, (k + 1) * h * w), h, w, S, S);
      const a = labelAttention(map, S, S, it.boxes);
      results.push({
        id: it.id,
        label_attention: a.labelAttention,
        chance: a.boxAreaShare,
        pointing_hit: a.pointingHit,
      });
      maps.push(map);
    });
  }
  return { results, maps };
}
