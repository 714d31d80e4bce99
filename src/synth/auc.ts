/** Area under the ROC curve by the Mann-Whitney statistic (ties count one half). Returns NaN without both classes. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0,
    neg = 0,
    rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k]]) {
        pos++;
        rankSumPos += midRank;
      } else neg++;
    }
    i = j + 1;
  }
  if (pos === 0 || neg === 0) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Exact AUC of a score that is constant within groups, given each group's share, P(positive) and score. */
export function groupedAuc(groups: readonly { weight: number; p: number; score: number }[]): number {
  let wp = 0,
    wn = 0;
  for (const g of groups) {
    wp += g.weight * g.p;
    wn += g.weight * (1 - g.p);
  }
  let acc = 0;
  for (const a of groups) {
    for (const b of groups) {
      const cmp = a.score > b.score ? 1 : a.score === b.score ? 0.5 : 0;
      acc += ((a.weight * a.p) / wp) * ((b.weight * (1 - b.p)) / wn) * cmp;
    }
  }
  return acc;
}
