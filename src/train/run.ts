import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GrayImage } from '../data/index.js';
import { modelInput } from '../data/index.js';
import { Model, type DeviceChoice, type Scorer } from '../engine/index.js';
import { TrainConfigSchema, type TrainConfig } from './config.js';
import type { InputSpec } from './inputs.js';
import { BEST_WEIGHTS } from './loop.js';
import { requireComplete } from '../util/index.js';

/**
 * Refuse a run folder that is missing, not a run, or whose training was cut short (no RUN/.complete), naming the
 * flag it came from and how to finish it.
 */
export async function checkTrainedRun(runDir: string, flag = '--run'): Promise<void> {
  const st = await stat(runDir).catch(() => null);
  if (!st?.isDirectory())
    throw new Error(
      `${flag} ${runDir}: no such training run folder (make one with \`confound train --out ${runDir}\`)`,
    );
  if (!(await stat(join(runDir, 'config.json')).catch(() => null))) {
    throw new Error(
      `${flag} ${runDir}: not a training run folder (no config.json; make one with \`confound train --out ${runDir}\`)`,
    );
  }
  requireComplete(
    runDir,
    'the training run',
    `finish it with \`confound train --data DATA --out ${runDir} --resume\` (same settings)`,
  );
}

/** The training settings a finished run was made with (RUN/config.json); unfinished runs are refused. */
export async function readRunConfig(runDir: string, flag = '--run'): Promise<TrainConfig> {
  await checkTrainedRun(runDir, flag);
  const path = join(runDir, 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`${path}: not found; is ${runDir} a training run folder?`);
  }
  const parsed = TrainConfigSchema.safeParse((JSON.parse(text) as { train?: unknown }).train);
  if (!parsed.success) throw new Error(`${path}: invalid training settings (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/** A trained run, ready to score: its settings, its best model on the chosen device, and its input transform. */
export interface TrainedRun extends Disposable {
  dir: string;
  config: TrainConfig;
  model: Model;
  input: InputSpec;
  /** One grayscale image as this model's input (letterboxed to size x size, normalised). */
  prepare(img: GrayImage): Float32Array;
  /** The model behind the Scorer shape the counterfactual and the audit share. */
  scorer(batchSize?: number): Scorer;
}

export interface OpenRunOptions {
  threads?: number;
  /** Default: the device the run was trained on. */
  device?: DeviceChoice;
}

export async function openRun(dir: string, opts: OpenRunOptions = {}): Promise<TrainedRun> {
  const config = await readRunConfig(dir);
  const model = await Model.load(join(dir, BEST_WEIGHTS), {
    threads: opts.threads ?? config.threads,
    device: opts.device ?? config.device,
  });
  const input: InputSpec = { size: config.size, mean: config.mean, std: config.std };
  const prepare = (img: GrayImage) => modelInput(img, input);
  return {
    dir,
    config,
    model,
    input,
    prepare,
    scorer: (batchSize = 16) => ({
      batchSize,
      prepare,
      score: (batch, n) => model.predict(batch, { n, height: input.size, width: input.size }),
    }),
    [Symbol.dispose]: () => model[Symbol.dispose](),
  };
}
