import type { ImageRecord } from '../data/index.js';
import type { LabelBox } from '../labels/index.js';
import { camRecords, STUDY_ATTENTION } from '../explain/index.js';
import { summariseAttention, type AttentionSummary } from '../explain/index.js';
import { openRun } from '../train/index.js';
import { clearComplete, markComplete } from '../util/index.js';
import { writeJsonFile, AttentionFileSchema } from './folder.js';
import type { DeviceChoice } from '../engine/index.js';

export type ArmAttention = AttentionSummary & { gradcam_final: AttentionSummary };

/**
 * Where one arm's model looks on its test images: the study's label-attention measure (STUDY_ATTENTION), with
 * overlays for the first few, and plain final-layer Grad-CAM beside it as the paper looked (reported, not used
 * for conclusions).
 */
export async function attentionStep(o: {
  runDir: string;
  camDir: string;
  attentionFile: string;
  test: readonly ImageRecord[];
  boxes: ReadonlyMap<string, readonly LabelBox[]>;
  seed: number;
  overlays: number;
  threads?: number;
  device?: DeviceChoice;
}): Promise<ArmAttention> {
  await clearComplete(o.camDir);
  using run = await openRun(o.runDir, { threads: o.threads, device: o.device });
  const per = await camRecords(run.model, o.test, o.boxes, {
    ...run.input,
    ...STUDY_ATTENTION,
    outDir: o.camDir,
    maxFiles: o.overlays,
  });
  await writeJsonFile(o.attentionFile, AttentionFileSchema, per);
  const gradcam = await camRecords(run.model, o.test, o.boxes, { ...run.input, method: 'gradcam', baseline: 'none' });
  await markComplete(o.camDir, 'label attention maps', { images: per.length });
  return { ...summariseAttention(per, o.seed), gradcam_final: summariseAttention(gradcam, o.seed) };
}
