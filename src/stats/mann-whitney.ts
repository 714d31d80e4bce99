import { argsort, midranksFromOrder, tieGroupSizes } from './midrank.js';
import { normalTwoSidedP } from './special.js';
import { checkBinaryProblem, type Labels, type Scores } from './validate.js';

export interface MannWhitneyResult {
  /** U of the positives: the number of (positive, negative) pairs where the positive is higher, ties 1/2. */
  u: number;
  auc: number;
  z: number;
  p: number;
}

/**
 * Mann-Whitney U test with the normal approximation and tie correction (Lehmann 1975):
 * var(U) = m n / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))); with `continuity` (default, as R's
 * wilcox.test(exact = FALSE)) |U - m n / 2| is reduced by 1/2. When every value is tied, var(U) = 0: z = 0, p = 1.
 */
export function mannWhitney(labels: Labels, values: Scores, continuity = true): MannWhitneyResult {
  const { nPos: m, nNeg: n } = checkBinaryProblem(labels, values);
  const order = argsort(values);
  const ranks = midranksFromOrder(values, order);
  let rankSum = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) rankSum += ranks[i];
  const u = rankSum - (m * (m + 1)) / 2;
  const total = m + n;
  const tieTerm = tieGroupSizes(values, order).reduce((s, t) => s + t * t * t - t, 0);
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  const centred = u - (m * n) / 2;
  let z = 0;
  if (variance > 0) z = (centred - (continuity ? 0.5 * Math.sign(centred) : 0)) / Math.sqrt(variance);
  return { u, auc: u / (m * n), z, p: variance > 0 ? normalTwoSidedP(z) : 1 };
}
