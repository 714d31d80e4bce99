import { argsort, midranksFromOrder } from './midrank.js';
import { normalQuantile, normalTwoSidedP } from './special.js';
import { checkBinaryProblem, checkSameLength, type Labels, type Scores } from './validate.js';

/**
 * DeLong, DeLong & Clarke-Pearson (Biometrics 1988) variance of correlated AUCs, computed with the
 * O(n log n) midrank algorithm of Sun & Xu (IEEE SPL 2014, "Fast implementation of DeLong's algorithm").
 * Conventions match pROC with levels c(0, 1) and direction "<" (controls = label 0 score lower than
 * cases = label 1), so AUCs are never flipped and can be below 0.5.
 */

/** Structural components (placements) of one score set. */
export interface Placements {
  auc: number;
  /** V10 per positive: fraction of negatives scoring below it (ties 1/2). */
  v10: Float64Array;
  /** V01 per negative: fraction of positives scoring above it (ties 1/2). */
  v01: Float64Array;
}

/**
 * Sun & Xu (2014), eqs. (10)-(12): with T_z the midranks among all m + n scores, T_x among the m positives and
 * T_y among the n negatives, V10_i = (T_z,i - T_x,i) / n, V01_j = 1 - (T_z,j - T_y,j) / m and
 * AUC = mean(V10) = mean(V01)... computed here as (sum T_z over positives - m(m+1)/2) / (m n).
 */
export function placements(labels: Labels, scores: Scores): Placements {
  const { nPos: m, nNeg: n } = checkBinaryProblem(labels, scores);
  const order = argsort(scores);
  const tz = midranksFromOrder(scores, order);
  const posOrder = new Uint32Array(m);
  const negOrder = new Uint32Array(n);
  let p = 0;
  let q = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i] === 1) posOrder[p++] = i;
    else negOrder[q++] = i;
  }
  // Midranks within each class, from the class's own ascending order (a subsequence of the global one).
  const tx = midranksFromOrder(scores, posOrder);
  const ty = midranksFromOrder(scores, negOrder);
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let rankSum = 0;
  p = 0;
  q = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) {
      v10[p++] = (tz[i] - tx[i]) / n;
      rankSum += tz[i];
    } else v01[q++] = 1 - (tz[i] - ty[i]) / m;
  }
  return { auc: (rankSum - (m * (m + 1)) / 2) / (m * n), v10, v01 };
}

/** Sample covariance (denominator len - 1) of two equal-length vectors. */
function covariance(a: Float64Array, ma: number, b: Float64Array, mb: number): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - ma) * (b[i] - mb);
  return s / (a.length - 1);
}

/** AUCs of k score sets on the same cases and their DeLong covariance matrix S = S10 / m + S01 / n. */
export function delongCovariance(labels: Labels, scoreSets: readonly Scores[]): { aucs: number[]; cov: number[][] } {
  if (scoreSets.length === 0) throw new RangeError('delongCovariance needs at least one score set');
  scoreSets.forEach((s, k) => checkSameLength(`labels and score set ${k + 1}`, labels, s));
  const pl = scoreSets.map((s) => placements(labels, s));
  const m = pl[0].v10.length;
  const n = pl[0].v01.length;
  if (m < 2 || n < 2) {
    throw new RangeError(
      `DeLong variance needs at least 2 positives and 2 negatives: got ${m} positives and ${n} negatives`,
    );
  }
  const aucs = pl.map((x) => x.auc);
  const cov = pl.map((a, r) =>
    pl.map((b, c) => covariance(a.v10, aucs[r], b.v10, aucs[c]) / m + covariance(a.v01, aucs[r], b.v01, aucs[c]) / n),
  );
  return { aucs, cov };
}

export interface AucCi {
  auc: number;
  variance: number;
  se: number;
  ci: [number, number];
  level: number;
}

/**
 * AUC with its DeLong variance and normal-approximation CI, auc -/+ z_{(1+level)/2} * se, clipped to [0, 1]
 * as pROC's ci.auc(method = "delong") does. Perfectly separated scores give se = 0 and CI [1, 1].
 */
export function aucCiDelong(labels: Labels, scores: Scores, level = 0.95): AucCi {
  checkLevel(level);
  const { aucs, cov } = delongCovariance(labels, [scores]);
  const auc = aucs[0];
  const variance = cov[0][0];
  const se = Math.sqrt(variance);
  const half = normalQuantile(0.5 + level / 2) * se;
  return { auc, variance, se, ci: [Math.max(0, auc - half), Math.min(1, auc + half)], level };
}

export interface PairedDelong {
  auc1: number;
  auc2: number;
  diff: number;
  variance: number;
  z: number;
  p: number;
}

/**
 * Paired DeLong test of two correlated AUCs on the same cases (pROC roc.test(method = "delong", paired = TRUE)):
 * z = (AUC1 - AUC2) / sqrt(S11 + S22 - 2 S12), p two-sided. When the variance of the difference is 0
 * (e.g. identical scores, or both perfectly separated) the AUCs are equal and z = 0, p = 1.
 */
export function delongPaired(labels: Labels, scores1: Scores, scores2: Scores): PairedDelong {
  const { aucs, cov } = delongCovariance(labels, [scores1, scores2]);
  const [auc1, auc2] = aucs;
  const diff = auc1 - auc2;
  const variance = Math.max(0, cov[0][0] + cov[1][1] - 2 * cov[0][1]);
  let z: number;
  if (variance > 0) z = diff / Math.sqrt(variance);
  else z = diff === 0 ? 0 : diff > 0 ? Infinity : -Infinity;
  return { auc1, auc2, diff, variance, z, p: normalTwoSidedP(z) };
}

export function checkLevel(level: number): void {
  if (!(level > 0 && level < 1))
    throw new RangeError(`confidence level must be between 0 and 1 (exclusive), got ${level}`);
}
