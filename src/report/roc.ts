/** ROC curve points from labels and scores: one point per distinct threshold, ties moving diagonally. */
export interface RocPoint {
  fpr: number;
  tpr: number;
  threshold: number;
}

export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocPoint[] {
  const n = labels.length;
  if (scores.length !== n) throw new Error(`ROC: ${n} labels but ${scores.length} scores`);
  let pos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) pos++;
  const neg = n - pos;
  if (pos === 0 || neg === 0) throw new Error('ROC: needs both positive and negative images');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Infinity }];
  let tp = 0,
    fp = 0;
  for (let k = 0; k < n; ) {
    const t = scores[order[k]];
    // Every image with the same score crosses the threshold at once.
    while (k < n && scores[order[k]] === t) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
      k++;
    }
    points.push({ fpr: fp / neg, tpr: tp / pos, threshold: t });
  }
  return points;
}

/** Area under a curve of points sorted by fpr (trapezoids): equals the Mann-Whitney AUC for rocCurve's output. */
export function areaUnder(points: readonly RocPoint[]): number {
  let a = 0;
  for (let i = 1; i < points.length; i++)
    a += ((points[i].fpr - points[i - 1].fpr) * (points[i].tpr + points[i - 1].tpr)) / 2;
  return a;
}

/** Drop points on straight runs so the SVG stays small; the curve drawn is unchanged. */
export function simplifyRoc(points: readonly RocPoint[]): RocPoint[] {
  if (points.length <= 2) return [...points];
  const out: RocPoint[] = [points[0]];
  for (let i = 1; i < points.length - 1; i++) {
    const a = out[out.length - 1],
      b = points[i],
      c = points[i + 1];
    const cross = (b.fpr - a.fpr) * (c.tpr - a.tpr) - (b.tpr - a.tpr) * (c.fpr - a.fpr);
    if (Math.abs(cross) > 1e-12) out.push(b);
  }
  out.push(points[points.length - 1]);
  return out;
}
