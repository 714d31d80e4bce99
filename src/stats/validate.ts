/** Input checks shared by the metrics: equal lengths, 0/1 labels, finite scores, both classes present. */

export type Labels = ArrayLike<number>;
export type Scores = ArrayLike<number>;

/** Counts of a checked binary problem. */
export interface ClassCounts {
  nPos: number;
  nNeg: number;
}

function where(i: number, ids?: ArrayLike<string>): string {
  return ids ? `id "${ids[i]}" (index ${i})` : `index ${i}`;
}

export function checkSameLength(what: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new RangeError(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

/** Labels must be 0 or 1. Returns the class counts (does not require both classes). */
export function checkLabels(labels: Labels, ids?: ArrayLike<string>): ClassCounts {
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y === 1) nPos++;
    else if (y === 0) nNeg++;
    else throw new RangeError(`label at ${where(i, ids)} is ${y}; labels must be 0 or 1`);
  }
  return { nPos, nNeg };
}

/** Scores must be finite numbers (NaN and infinities are rejected, naming where). */
export function checkScores(scores: Scores, ids?: ArrayLike<string>, what = 'score'): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i]))
      throw new RangeError(`${what} at ${where(i, ids)} is ${scores[i]}; scores must be finite numbers`);
  }
}

/** Full check for a ROC problem; throws "AUC needs both classes: got 12 positives and 0 negatives" when one is missing. */
export function checkBinaryProblem(labels: Labels, scores: Scores, ids?: ArrayLike<string>): ClassCounts {
  checkSameLength('labels and scores', labels, scores);
  if (ids) checkSameLength('labels and ids', labels, ids);
  const counts = checkLabels(labels, ids);
  checkScores(scores, ids);
  if (counts.nPos === 0 || counts.nNeg === 0) {
    throw new RangeError(`AUC needs both classes: got ${counts.nPos} positives and ${counts.nNeg} negatives`);
  }
  return counts;
}
