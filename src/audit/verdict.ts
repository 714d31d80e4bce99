import type { CounterfactualResult } from '../explain/index.js';
import { bootstrapCi } from '../stats/index.js';
import { midranks } from '../stats/index.js';
import { normalCdf } from '../stats/index.js';

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

/**
 * The verdict rule, stored with every verdict. The name changes whenever the rule's logic does, so a stored
 * verdict says which rule made it.
 */
export interface VerdictRule {
  name: 'net-logit-effect/1';
  /** Confidence level of the bootstrap CI of the net effect. */
  level: number;
  /** Net effects (in SDs of the model's logits) below this are negligible. */
  negligible: number;
  /** A net effect at least this large, with its CI above the negligible band, is strong. */
  strong: number;
  /** Floor of the logit SD (so a model with constant answers does not divide by zero). */
  scale_floor: number;
  /** Probabilities are clipped to [clip, 1 - clip] before the logit. */
  clip: number;
  /** Bootstrap resamples. */
  resamples: number;
  /** Fewer scored images than this give none, not conclusive (a bootstrap CI of so few is not to be trusted). */
  min_images: number;
}

export const DEFAULT_RULE: VerdictRule = {
  name: 'net-logit-effect/1',
  level: 0.95,
  negligible: 0.1,
  strong: 0.5,
  scale_floor: 0.01,
  clip: 1e-6,
  resamples: 2000,
  min_images: 10,
};

export interface Verdict {
  reliance: Reliance;
  /** False when the CI reaches into the negligible band from above: reliance could not be ruled out or shown. */
  conclusive: boolean;
  /** Mean over images of |dz covered| - |dz control| (z = logit), divided by the SD of z over the original images. */
  net_effect: number;
  ci: [number, number];
  /** The SD of the original logits (the scale), and the mean |dz| of the covered images and of the control. */
  scale: number;
  covered_abs_logit: number;
  control_abs_logit: number;
  /** The same in probability units, for reading. */
  covered_abs_delta: number;
  control_abs_delta: number;
  /** One-sided Wilcoxon signed-rank test that |dz covered| > |dz control| (supporting evidence). */
  test: SignedRankResult;
  n: number;
  rule: VerdictRule;
  /** One line: the verdict and why. */
  summary: string;
  evidence: string[];
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : String(x));
const pf = (p: number) => (p < 1e-4 ? 'p < 0.0001' : `p = ${p.toPrecision(3)}`);

function logit(p: number, clip: number): number {
  const q = Math.min(1 - clip, Math.max(clip, p));
  return Math.log(q / (1 - q));
}

function sd(xs: ArrayLike<number>, idx: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < idx.length; i++) m += xs[idx[i]];
  m /= idx.length;
  let v = 0;
  for (let i = 0; i < idx.length; i++) v += (xs[idx[i]] - m) ** 2;
  return idx.length > 1 ? Math.sqrt(v / (idx.length - 1)) : 0;
}

/**
 * The verdict on one counterfactual cover test (the audit's and the study's), never from the model's identity.
 * Per image, z = logit(p): d = |z(covered) - z(original)| - |z(control) - z(original)|, the net effect of covering
 * the labels beyond covering the same area elsewhere. The net effect is mean(d) / SD(z(original)): in units of how
 * much the model's answers vary over the data, so it reads the same for a confident model and for one whose
 * outputs all stay near 0.5. Its percentile bootstrap CI resamples images (d and the SD together).
 * - strong: CI lower bound > negligible and net effect >= strong;
 * - weak: CI lower bound > negligible, not strong;
 * - none: otherwise; conclusive when the CI upper bound < negligible too, else too few (< min_images) or too
 *   noisy images to tell (reported as not conclusive).
 */
export function verdictOf(
  cf: Pick<CounterfactualResult, 'images'> & Partial<CounterfactualResult>,
  rule: VerdictRule = DEFAULT_RULE,
  seed: number | string = 0,
): Verdict {
  const ims = cf.images;
  const n = ims.length;
  if (n === 0) throw new Error('verdict: the counterfactual test scored no image');
  const z0 = ims.map((im) => logit(im.p_original, rule.clip));
  const dCov = ims.map((im, i) => Math.abs(logit(im.p_covered, rule.clip) - z0[i]));
  const dCtl = ims.map((im, i) => Math.abs(logit(im.p_random_cover, rule.clip) - z0[i]));
  const d = dCov.map((x, i) => x - dCtl[i]);
  const effect = (idx: ArrayLike<number>) => {
    let m = 0;
    for (let i = 0; i < idx.length; i++) m += d[idx[i]];
    return m / idx.length / Math.max(rule.scale_floor, sd(z0, idx));
  };
  const all = Float64Array.from({ length: n }, (_, i) => i);
  const boot = bootstrapCi(all, effect, { n: rule.resamples, seed: `${seed}:verdict`, level: rule.level });
  const [lo, hi] = boot.ci;
  const net = boot.estimate;
  const scale = Math.max(rule.scale_floor, sd(z0, all));
  const enough = n >= rule.min_images;
  const reliance: Reliance = enough && lo > rule.negligible ? (net >= rule.strong ? 'strong' : 'weak') : 'none';
  const conclusive = reliance !== 'none' || (enough && hi < rule.negligible);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const covP = avg(ims.map((im) => Math.abs(im.p_covered - im.p_original)));
  const ctlP = avg(ims.map((im) => Math.abs(im.p_random_cover - im.p_original)));
  const test = signedRankGreater(d);
  const pct = Math.round(100 * rule.level);
  const band = `negligible below ${rule.negligible}, strong from ${rule.strong}`;
  const summary =
    `${reliance}${conclusive ? '' : ' (not conclusive)'}: covering the labels moved the model's logit ` +
    `${f2(net)} SD of its outputs more than the control covers (${pct}% CI ${f2(lo)} to ${f2(hi)}; ${band}; ${n} images)`;
  const evidence = [
    `net effect ${f3(net)} (${pct}% CI ${f3(lo)} to ${f3(hi)}) in SDs of the model's original logits (SD ${f3(scale)}); ` +
      `rule ${rule.name}: ${band}`,
    `covering the labels changed the logit by ${f3(avg(dCov))} on average (|dp| ${f3(covP)}); ` +
      `the ${cf.control ?? 'random'} control covers by ${f3(avg(dCtl))} (|dp| ${f3(ctlP)})`,
    `Wilcoxon signed-rank, |dz covered| > |dz control|: one-sided ${pf(test.p)} over ${test.n} non-zero pairs`,
  ];
  if (cf.p !== undefined && cf.auc_original !== undefined) {
    evidence.push(
      `AUC ${f3(cf.auc_original)} original vs ${f3(cf.auc_covered!)} covered (paired DeLong ${pf(cf.p)}); ` +
        `control ${f3(cf.auc_random_cover!)} (${pf(cf.p_random_cover!)})`,
    );
  }
  if (!enough) evidence.push(`not conclusive: only ${n} image(s) with labels; the rule needs ${rule.min_images}`);
  else if (!conclusive) {
    evidence.push(
      `not conclusive: the CI reaches ${f3(hi)}, above the negligible band (${rule.negligible}); more images with labels would tell`,
    );
  }
  return {
    reliance,
    conclusive,
    net_effect: net,
    ci: [lo, hi],
    scale,
    covered_abs_logit: avg(dCov),
    control_abs_logit: avg(dCtl),
    covered_abs_delta: covP,
    control_abs_delta: ctlP,
    test,
    n,
    rule,
    summary,
    evidence,
  };
}
