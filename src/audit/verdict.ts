import type { CounterfactualResult } from '../explain/counterfactual.js';
import { bootstrapCi, mean } from '../stats/bootstrap.js';
import { midranks } from '../stats/midrank.js';
import { normalCdf } from '../stats/special.js';

export type Reliance = 'none' | 'weak' | 'strong';

export interface SignedRankResult {
  /** Non-zero differences used. */
  n: number;
  /** Sum of the ranks of the positive differences. */
  w_plus: number;
  z: number;
  /** One-sided p for "differences tend to be positive". */
  p: number;
}

/**
 * Wilcoxon signed-rank test, one-sided (greater), normal approximation with tie and continuity corrections;
 * zero differences dropped (Wilcoxon's convention). Hollander & Wolfe, Nonparametric Statistical Methods, 3.1.
 */
export function signedRankGreater(diffs: ArrayLike<number>): SignedRankResult {
  const nz = Array.from(diffs).filter((d) => d !== 0 && Number.isFinite(d));
  const n = nz.length;
  if (n === 0) return { n: 0, w_plus: 0, z: 0, p: 1 };
  const ranks = midranks(nz.map(Math.abs));
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (nz[i] > 0) wPlus += ranks[i];
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  let ties = 0;
  for (const t of counts.values()) ties += t * t * t - t;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - ties / 48;
  if (variance <= 0) return { n, w_plus: wPlus, z: 0, p: 1 };
  const z = (wPlus - (n * (n + 1)) / 4 - 0.5) / Math.sqrt(variance);
  return { n, w_plus: wPlus, z, p: 1 - normalCdf(z) };
}

/** Thresholds of the verdict rule (see decideReliance). */
export interface VerdictRule {
  alpha: number;
  /** Strong needs covered |dp| at least this many times the control's. */
  strong_ratio: number;
  /** Strong needs covered |dp| at least this large (probability units). */
  strong_effect: number;
  /** Weak needs covered |dp| at least this large. */
  min_effect: number;
  /** Floor for the control's |dp| in the ratio, so a control of ~0 does not make any effect "infinitely" larger. */
  control_floor: number;
}

export const DEFAULT_RULE: VerdictRule = { alpha: 0.05, strong_ratio: 3, strong_effect: 0.05, min_effect: 0.01, control_floor: 0.005 };

export interface Verdict {
  reliance: Reliance;
  rule: VerdictRule;
  covered_abs_delta: number;
  control_abs_delta: number;
  ratio: number;
  /** Per image |dp covered| - |dp control|: mean with a bootstrap 95% CI, and the signed-rank test. */
  paired_difference: { mean: number; ci: [number, number]; test: SignedRankResult };
  evidence: string[];
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
const pf = (p: number) => (p < 1e-4 ? 'p < 0.0001' : `p = ${p.toPrecision(3)}`);

/**
 * The verdict, from the cover test against its random-cover control, never from the model's identity:
 * - significant: per image, |p(covered) - p(original)| exceeds |p(random cover) - p(original)|
 *   (one-sided Wilcoxon signed-rank p < alpha);
 * - strong: significant, covered mean |dp| >= strong_effect, and >= strong_ratio x the control's
 *   (control floored at control_floor);
 * - weak: significant and covered mean |dp| >= min_effect, but not strong;
 * - none: otherwise.
 * Occlusion/CAM attention and the DeLong AUC change are reported beside it as supporting evidence.
 */
export function decideReliance(cf: CounterfactualResult, rule: VerdictRule = DEFAULT_RULE, seed = 0): Verdict {
  const diffs = Float64Array.from(cf.images, (im) => Math.abs(im.p_covered - im.p_original) - Math.abs(im.p_random_cover - im.p_original));
  const test = signedRankGreater(diffs);
  const ci = bootstrapCi(diffs, mean, { seed: `${seed}:audit-paired` });
  const covered = cf.covered.mean_abs_delta, control = cf.random_cover.mean_abs_delta;
  const ratio = covered / Math.max(control, rule.control_floor);
  const significant = test.p < rule.alpha;
  const reliance: Reliance = significant && covered >= rule.strong_effect && ratio >= rule.strong_ratio ? 'strong'
    : significant && covered >= rule.min_effect ? 'weak' : 'none';
  const evidence = [
    `covering the labels changed p by ${f3(covered)} on average (flip rate ${f3(cf.covered.flip_rate)}); the random-cover control by ${f3(control)} (flip rate ${f3(cf.random_cover.flip_rate)}), ratio ${f3(ratio)} (control floored at ${rule.control_floor})`,
    `per-image difference |dp covered| - |dp control|: mean ${f3(ci.estimate)}, 95% CI [${f3(ci.ci[0])}, ${f3(ci.ci[1])}]; Wilcoxon signed-rank one-sided ${pf(test.p)} over ${test.n} non-zero pairs of ${cf.n} images`,
  ];
  if (cf.p !== undefined) {
    evidence.push(`AUC ${f3(cf.auc_original!)} original vs ${f3(cf.auc_covered!)} covered (paired DeLong ${pf(cf.p)}); random cover ${f3(cf.auc_random_cover!)} (${pf(cf.p_random_cover!)})`);
  }
  if (test.n < 6) evidence.push(`only ${test.n} image(s) changed at all: too few for the test to reach p < ${rule.alpha}`);
  return { reliance, rule, covered_abs_delta: covered, control_abs_delta: control, ratio, paired_difference: { mean: ci.estimate, ci: ci.ci, test }, evidence };
}
