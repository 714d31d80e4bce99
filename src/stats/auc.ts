import { argsort, midranksFromOrder } from './midrank.js';
import { checkBinaryProblem, type Labels, type Scores } from './validate.js';

/**
 * Area under the ROC curve, positives (label 1) expected to score higher; ties count 1/2.
 * Mann-Whitney form (Hanley & McNeil 1982): AUC = (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg),
 * R_pos = sum of the midranks of the positives among all scores. O(n log n).
 * Throws on unequal lengths, labels other than 0/1, non-finite scores, or a missing class.
 */
export function auc(labels: Labels, scores: Scores, ids?: ArrayLike<string>): number {
  const { nPos, nNeg } = checkBinaryProblem(labels, scores, ids);
  const ranks = midranksFromOrder(scores, argsort(scores));
  let rankSum = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) rankSum += ranks[i];
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
