import { ChannelCam, type CamMaps, type LayerCapture } from '../explain/index.js';
import { labelAttention, upsample } from '../explain/index.js';
import type { LabelBox } from '../labels/index.js';
import type { OnnxScorer } from './onnx-scorer.js';

/** CAM (Zhou et al., "Learning deep features for discriminative localization", CVPR 2016): ReLU(sum_k w_k A_k). */
export class ClassifierCam extends ChannelCam {
  readonly name = 'cam';
  constructor(private readonly classifierWeights: Float64Array) {
    super();
  }
  protected channelWeights(): Float64Array {
    return this.classifierWeights;
  }
}

export interface CamAttentionResult {
  id: string;
  label_attention: number;
  chance: number;
  pointing_hit: boolean;
}

/** An image prepared for the model (gray, model pixels) with its label boxes in model pixels. */
export type CamItem = { id: string; gray: Float32Array; boxes: readonly LabelBox[] };

/** What the CAM attention needs of a scorer: its batch size, input size and normalisation. */
interface BatchingScorer {
  batchSize: number;
  preprocess: { size: number; channels: number };
  normalize(gray: Float32Array): Float32Array;
}

/**
 * Items in the scorer's batches through `mapsOf` (maps at a layer's resolution); each map upsampled bilinearly to
 * the input and its share on the boxes measured.
 */
export async function attentionByBatch(
  scorer: BatchingScorer,
  items: readonly CamItem[],
  mapsOf: (batch: Float32Array, n: number) => Promise<CamMaps>,
): Promise<{ results: CamAttentionResult[]; maps: Float32Array[] }> {
  const S = scorer.preprocess.size;
  const per = scorer.preprocess.channels * S * S;
  const results: CamAttentionResult[] = [];
  const maps: Float32Array[] = [];
  for (let start = 0; start < items.length; start += scorer.batchSize) {
    const chunk = items.slice(start, start + scorer.batchSize);
    const batch = new Float32Array(chunk.length * per);
    chunk.forEach((it, k) => batch.set(scorer.normalize(it.gray), k * per));
    const cams = await mapsOf(batch, chunk.length);
    const { h, w } = cams;
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

/**
 * CAM label attention for a batch of resized images: run the model up to its feature-map output, weight the
 * channels, upsample to the input and measure the share on the boxes (already in model pixels).
 */
export async function camAttention(
  scorer: OnnxScorer,
  featureOutput: string,
  weights: Float64Array,
  items: readonly CamItem[],
): Promise<{ results: CamAttentionResult[]; maps: Float32Array[] }> {
  return attentionByBatch(scorer, items, async (batch, n) => {
    const t = (await scorer.run(batch, n, [featureOutput]))[featureOutput];
    if (t.dims.length !== 4 || (t.type !== 'float32' && t.type !== 'float64'))
      throw new Error(
        `${scorer.path}: CAM output "${featureOutput}" has shape [${t.dims.join(', ')}] (${t.type}); a float feature map [N, K, h, w] is needed`,
      );
    const [, c, h, w] = t.dims;
    if (c !== weights.length)
      throw new Error(
        `${scorer.path}: CAM output "${featureOutput}" has ${c} channels but the weights have ${weights.length}`,
      );
    const cap: LayerCapture = {
      activations: Float32Array.from(t.data as Float32Array),
      gradients: new Float32Array(0),
      n: t.dims[0],
      c,
      h,
      w,
    };
    return new ClassifierCam(weights).compute(cap);
  });
}
