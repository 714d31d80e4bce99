import { checkBinaryProblem, checkLabels, checkSameLength, checkScores } from './validate.js';

/**
 * Cohen's kappa for two raters (Cohen 1960): kappa = (p_o - p_e) / (1 - p_e), p_o the observed agreement,
 * p_e the agreement expected from the raters' marginal frequencies. Categories may be any strings or numbers.
 * When p_e = 1 (both raters used one and the same category throughout) kappa is undefined: returns NaN,
 * as scikit-learn's cohen_kappa_score does.
 */
export function cohenKappa(rater1: ArrayLike<string | number>, rater2: ArrayLike<string | number>): number {
  checkSameLength('cohenKappa raters', rater1, rater2);
  const n = rater1.length;
  if (n === 0) throw new RangeError('cohenKappa needs at least one rated item');
  const count1 = new Map<string | number, number>();
  const count2 = new Map<string | number, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const a = rater1[i];
    const b = rater2[i];
    if (a === b) agree++;
    count1.set(a, (count1.get(a) ?? 0) + 1);
    count2.set(b, (count2.get(b) ?? 0) + 1);
  }
  let expected = 0;
  for (const [c, k] of count1) expected += (k / n) * ((count2.get(c) ?? 0) / n);
  const observed = agree / n;
  if (expected === 1) return NaN;
  return (observed - expected) / (1 - expected);
}

/** Cohen's kappa for two binary (0/1) raters. */
export function cohenKappaBinary(rater1: ArrayLike<number>, rater2: ArrayLike<number>): number {
  checkLabels(rater1);
  checkLabels(rater2);
  return cohenKappa(rater1, rater2);
}

export interface SensSpec {
  threshold: number;
  sensitivity: number;
  specificity: number;
  tp: number;
  fn: number;
  tn: number;
  fp: number;
}

/**
 * Sensitivity and specificity when a score >= threshold calls the item positive (pROC's rule for direction "<").
 */
export function sensitivitySpecificity(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number,
): SensSpec {
  if (Number.isNaN(threshold)) throw new RangeError('threshold is NaN');
  checkBinaryProblem(labels, scores);
  let tp = 0;
  let fn = 0;
  let tn = 0;
  let fp = 0;
  for (let i = 0; i < labels.length; i++) {
    const called = scores[i] >= threshold;
    if (labels[i] === 1) {
      if (called) tp++;
      else fn++;
    } else if (called) fp++;
    else tn++;
  }
  return { threshold, sensitivity: tp / (tp + fn), specificity: tn / (tn + fp), tp, fn, tn, fp };
}

/** One image's prediction, for study-level aggregation. */
export interface ImageScore {
  study: string;
  label: number;
  score: number;
  id?: string;
}
export interface StudyScore {
  study: string;
  label: 0 | 1;
  score: number;
  images: number;
  predicted: 0 | 1;
}

/**
 * MURA study-level prediction (Rajpurkar et al. 2017): the study's probability is the arithmetic mean of its
 * images' probabilities and the study is called abnormal when that mean is > 0.5. Studies keep first-seen order.
 * Throws when a study's images disagree on the label or a score is not finite.
 */
export function aggregateByStudy(images: readonly ImageScore[], threshold = 0.5): StudyScore[] {
  const acc = new Map<string, { label: number; sum: number; count: number }>();
  checkScores(
    images.map((r) => r.score),
    images.map((r, i) => r.id ?? `${r.study}#${i}`),
  );
  for (const img of images) {
    if (img.label !== 0 && img.label !== 1)
      throw new RangeError(`study "${img.study}": label ${img.label} is not 0 or 1`);
    const a = acc.get(img.study);
    if (!a) acc.set(img.study, { label: img.label, sum: img.score, count: 1 });
    else {
      if (a.label !== img.label) throw new RangeError(`study "${img.study}" mixes labels 0 and 1 across its images`);
      a.sum += img.score;
      a.count++;
    }
  }
  return [...acc].map(([study, a]) => {
    const score = a.sum / a.count;
    return { study, label: a.label as 0 | 1, score, images: a.count, predicted: score > threshold ? 1 : 0 };
  });
}
