import { performance } from 'node:perf_hooks';
import { Rng } from '../util/index.js';
import type { Arch } from './archs.js';
import type { DeviceChoice } from './device.js';
import { type MemoryFormat, Model, type Precision } from './model.js';

export interface ThroughputOptions {
  arch: Arch;
  /** Square input side. */
  size: number;
  batch: number;
  /** Timed steps after one warm-up, for training and for inference. */
  steps: number;
  threads?: number;
  device?: DeviceChoice;
  channels?: number;
  seed?: number;
  precision?: Precision;
  memoryFormat?: MemoryFormat;
}

export interface Throughput {
  train_img_s: number;
  infer_img_s: number;
  /** One image: forward and backward to the default layer (what Grad-CAM costs; its weighting is done in TypeScript). */
  gradcam_ms: number;
  losses: number[];
}

/** Trains and predicts on seeded random data and reports images per second (the work PyTorch's anchor bench does). */
export async function measureThroughput(opts: ThroughputOptions): Promise<Throughput> {
  const channels = opts.channels ?? 1;
  const shape = { n: opts.batch, height: opts.size, width: opts.size };
  const rng = new Rng(opts.seed ?? 0);
  const images = Float32Array.from({ length: opts.batch * channels * opts.size * opts.size }, () => rng.normal());
  const targets = Float32Array.from({ length: opts.batch }, (_, i) => i % 2);
  using model = await Model.create({
    arch: opts.arch,
    channels,
    seed: opts.seed ?? 0,
    threads: opts.threads,
    device: opts.device,
    precision: opts.precision,
    memoryFormat: opts.memoryFormat,
  });

  const rate = async (fn: () => Promise<unknown>): Promise<number> => {
    await fn();
    const t0 = performance.now();
    for (let s = 0; s < opts.steps; s++) await fn();
    return (opts.batch * opts.steps) / ((performance.now() - t0) / 1000);
  };
  const infer = await rate(() => model.predict(images, shape));
  const losses: number[] = [];
  const train = await rate(async () => losses.push(await model.trainStep(images, targets, undefined, shape)));
  const one = images.subarray(0, channels * opts.size * opts.size);
  const oneShape = { n: 1, height: opts.size, width: opts.size };
  await model.capture(one, oneShape);
  const t0 = performance.now();
  for (let r = 0; r < 3; r++) await model.capture(one, oneShape);
  return { train_img_s: train, infer_img_s: infer, gradcam_ms: (performance.now() - t0) / 3, losses };
}
