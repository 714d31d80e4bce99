import { CAM_METHODS } from '../explain/index.js';
import { attentionByBatch, type CamAttentionResult, type CamItem } from './cam.js';
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
  items: readonly CamItem[],
): Promise<{ results: CamAttentionResult[]; maps: Float32Array[] }> {
  return attentionByBatch(scorer, items, async (batch, n) => {
    const { capture } = await scorer.capture(batch, n, layer);
    return new CAM_METHODS.gradcam().compute(capture, 'predicted');
  });
}
