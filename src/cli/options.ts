import { InvalidArgumentError, Option } from 'commander';
import { PRECISIONS } from '../engine/index.js';
import { SCHEDULES, type TrainConfig } from '../train/index.js';
import { checkChoice } from '../util/index.js';

/** Commander parsers that reject junk with the option's name in the message. */
export function intArg(name: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got "${v}"`);
    return n;
  };
}

export function numArg(name: string, min = -Infinity, max = Infinity) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}], got "${v}"`);
    return n;
  };
}

/** The --allow-outside option of every command that reads a dataset (a manifest may name files elsewhere). */
export const ALLOW_OUTSIDE_HELP = "read files a manifest names outside the manifest's folder (refused by default)";

/** --device for every command that runs a model; the spelling is checked here, CUDA's presence when a model is made. */
export const DEVICE_HELP =
  'auto | cpu | cuda | cuda:N (auto: CUDA when the engine was built with it and a GPU is visible)';
export function deviceArg(v: string): string {
  if (!/^(auto|cpu|cuda|cuda:\d{1,3})$/.test(v))
    throw new InvalidArgumentError(`--device must be ${DEVICE_HELP}, got "${v}"`);
  return v;
}

/** --threads for every engine command. */
export function threadsOption(): Option {
  return new Option('--threads <n>', 'compute threads').argParser(intArg('--threads', 1));
}

/** --device for every engine command: 'auto' by default, or (for a trained run) the run's own setting. */
export function deviceOption(byDefault: 'auto' | 'run'): Option {
  return byDefault === 'auto'
    ? new Option('--device <d>', DEVICE_HELP).argParser(deviceArg).default('auto')
    : new Option('--device <d>', `${DEVICE_HELP}; default: the run's setting`).argParser(deviceArg);
}

/** --deterministic for the commands that train; `effect` says what it buys there. */
export function deterministicOption(effect: string): Option {
  return new Option('--deterministic', `libtorch's deterministic kernels (cuDNN without autotuning)${effect}`);
}

/** --precision for the commands that train. */
export function precisionOption(): Option {
  return new Option(
    '--precision <p>',
    "fp32 (default) | bf16: forward passes in bfloat16 (fast on AVX512-BF16/AMX CPUs and GPUs); results differ from fp32's",
  );
}

/** The training settings that train and study take from the command line, checked; those not given are left out. */
export function trainOverrides(o: {
  epochs?: number;
  size?: number;
  arch?: string;
  weights?: string;
  deterministic?: boolean;
  precision?: string;
  schedule?: string;
}): Partial<TrainConfig> {
  return Object.fromEntries(
    Object.entries({
      epochs: o.epochs,
      size: o.size,
      arch: o.arch,
      weights: o.weights,
      deterministic: o.deterministic ? true : undefined,
      precision: o.precision === undefined ? undefined : checkChoice('--precision', o.precision, PRECISIONS),
      schedule: o.schedule === undefined ? undefined : checkChoice('--schedule', o.schedule, SCHEDULES),
    }).filter(([, v]) => v !== undefined),
  );
}

/** --min-score for the commands that run the label detector. */
export function minScoreOption(): Option {
  return new Option('--min-score <p>', "detector score threshold (default: the model's)").argParser(
    numArg('--min-score', 0, 1),
  );
}

/** --model for the commands that run the label detector. */
export function detectorModelOption(): Option {
  return new Option('--model <file>', 'detector weights (default: the shipped models/detector.json)');
}
