import { Rng } from '../util/index.js';
import { auc } from './auc.js';
import { checkLevel } from './delong.js';
import { checkBinaryProblem, checkScores } from './validate.js';

export interface BootstrapOptions {
  /** Number of resamples (default 2000). */
  n?: number;
  /** Seed for src/util/rng.ts; same seed and input give the same interval. */
  seed?: number | string;
  /** Confidence level (default 0.95). */
  level?: number;
}

export interface BootstrapCi {
  estimate: number;
  ci: [number, number];
  level: number;
  n: number;
  /** Resamples whose statistic was not finite (left out of the percentiles). */
  skipped: number;
}

/** Sample quantile, R's type 7 (linear interpolation between order statistics), of sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, prob: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * prob;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function resolve(opts: BootstrapOptions): { n: number; seed: number | string; level: number } {
  const n = opts.n ?? 2000;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`bootstrap needs a whole number of resamples >= 1, got ${n}`);
  const level = opts.level ?? 0.95;
  checkLevel(level);
  return { n, seed: opts.seed ?? 1, level };
}

function percentileCi(estimate: number, stats: number[], n: number, level: number): BootstrapCi {
  const finite = Float64Array.from(stats.filter(Number.isFinite)).sort();
  const alpha = (1 - level) / 2;
  return {
    estimate,
    level,
    n,
    skipped: stats.length - finite.length,
    ci: [quantileSorted(finite, alpha), quantileSorted(finite, 1 - alpha)],
  };
}

/**
 * Percentile bootstrap CI (Efron & Tibshirani 1993, ch. 13) of any statistic of per-item values:
 * resample the items with replacement n times and take the (1-level)/2 and (1+level)/2 type-7 quantiles.
 * The statistic receives a fresh Float64Array each time.
 */
export function bootstrapCi(
  values: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  opts: BootstrapOptions = {},
): BootstrapCi {
  const { n, seed, level } = resolve(opts);
  if (values.length === 0) throw new RangeError('bootstrap needs at least one value');
  checkScores(values, undefined, 'value');
  const rng = new Rng(seed);
  const len = values.length;
  const sample = new Float64Array(len);
  const stats: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < len; i++) sample[i] = values[Math.floor(rng.next() * len)];
    stats.push(statistic(Float64Array.from(sample)));
  }
  return percentileCi(statistic(Float64Array.from(values)), stats, n, level);
}

/** Arithmetic mean (a convenient statistic for bootstrapCi). */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

/**
 * Stratified percentile bootstrap CI of the AUC, as pROC's ci.auc(method = "bootstrap", stratified = TRUE):
 * positives and negatives are resampled separately, so every resample keeps the class counts.
 */
export function bootstrapAucCi(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  opts: BootstrapOptions = {},
): BootstrapCi {
  const { n, seed, level } = resolve(opts);
  const { nPos, nNeg } = checkBinaryProblem(labels, scores);
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(nNeg);
  let p = 0;
  let q = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) pos[p++] = scores[i];
    else neg[q++] = scores[i];
  }
  const y = new Uint8Array(nPos + nNeg).fill(1, 0, nPos);
  const s = new Float64Array(nPos + nNeg);
  const rng = new Rng(seed);
  const stats: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < nPos; i++) s[i] = pos[Math.floor(rng.next() * nPos)];
    for (let i = 0; i < nNeg; i++) s[nPos + i] = neg[Math.floor(rng.next() * nNeg)];
    stats.push(auc(y, s));
  }
  return percentileCi(auc(labels, scores), stats, n, level);
}
