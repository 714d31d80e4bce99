import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isDeviceChoice, DEVICE_CHOICES, PRECISIONS, type DeviceChoice } from '../engine/index.js';

export const SCHEDULES = ['plateau', 'cosine'] as const;

/** Everything a training run depends on; stored in RUN/config.json so a run can be resumed and audited. */
export const TrainConfigSchema = z.object({
  arch: z.enum(['densenet121', 'densenet-small', 'densenet-tiny']).default('densenet121'),
  size: z.number().int().min(16).max(2048).default(320),
  epochs: z.number().int().min(1).default(10),
  batch: z.number().int().min(1).default(8),
  lr: z.number().positive().default(1e-4),
  seed: z.number().int().min(0).default(0),
  /** plateau: divide the rate by 10 after `patience` epochs without validation-loss improvement (MURA); cosine: anneal it to 0 over the epochs. */
  schedule: z.enum(SCHEDULES).default('plateau'),
  /** Epochs without validation-loss improvement before the learning rate is divided by 10. */
  patience: z.number().int().min(0).default(1),
  flip: z.number().min(0).max(1).default(0.5),
  maxRotation: z.number().min(0).max(180).default(30),
  mean: z.number().default(0.5),
  std: z.number().positive().default(0.25),
  threads: z.number().int().min(1).optional(),
  /** libtorch's deterministic algorithms (process-wide; cuDNN without autotuning). Absent means off. */
  deterministic: z.boolean().optional(),
  /** Forward passes in bfloat16 (engine precision 'bf16'); absent means fp32. Changes what is computed. */
  precision: z.enum(PRECISIONS).optional(),
  /** auto: CUDA when the engine has it and a GPU is visible. Not part of a run's identity: a run may resume elsewhere. */
  device: z.custom<DeviceChoice>(isDeviceChoice, { message: `device must be ${DEVICE_CHOICES}` }).default('auto'),
  /** Pretrained weights (safetensors) to start from. */
  weights: z.string().optional(),
});
export type TrainConfig = z.infer<typeof TrainConfigSchema>;

/**
 * The MURA recipe at quick CPU settings, for the built-in phantom study. Patience is 4, not 1: with ~130
 * validation images the validation loss is noisy, and dividing the rate at every uptick had it 1000x smaller
 * by epoch 8, before the model had learnt anything.
 */
export const QUICK_PROFILE: Partial<TrainConfig> = {
  arch: 'densenet-small',
  size: 128,
  epochs: 20,
  batch: 16,
  lr: 2e-3,
  patience: 4,
  weights: shippedWeights('densenet-small-phantom.safetensors'),
  // Black maps to 0, so the convolutions' zero padding looks like the dark film around an exposure instead of a
  // grey frame: with mean 0.5 Grad-CAM lit up the image border of every dark-edged radiograph.
  mean: 0,
};
/**
 * Starting weights shipped with the tool (models/). The quick profile's were pretrained by
 * scripts/pretrain-quick.sh on phantom radiographs, first label-free, then with burned-in labels that carry no
 * information: a from-scratch DenseNet learns next to nothing about fractures in the quick profile's budget (as
 * the paper's ImageNet start stands in for), and a start that has never seen text reads lead letters as findings.
 */
export function shippedWeights(file: string): string {
  return fileURLToPath(new URL(`../../../models/${file}`, import.meta.url));
}

export type Profile = 'quick' | 'paper';

/**
 * A profile's settings with overrides. The profile's starting weights stay only while its architecture does;
 * `weights: 'none'` starts from random weights.
 */
export function profileSettings(profile: Profile, overrides: Partial<TrainConfig> = {}): Partial<TrainConfig> {
  const base = { ...(profile === 'paper' ? PAPER_PROFILE : QUICK_PROFILE) };
  if (overrides.arch !== undefined && overrides.arch !== base.arch) delete base.weights;
  const cfg: Partial<TrainConfig> = { ...base };
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (cfg as Record<string, unknown>)[k] = v;
  if (cfg.weights === 'none') delete cfg.weights;
  return cfg;
}

/** The paper's setting: DenseNet-121 at 320 px with the MURA recipe (meant for a GPU). */
export const PAPER_PROFILE: Partial<TrainConfig> = { arch: 'densenet121', size: 320, epochs: 10, batch: 8, lr: 1e-4 };
