import { chiSquareUpperP } from './special.js';
import { checkSameLength } from './validate.js';

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
  /** Cramer's V = sqrt(chi2 / (N (min(r, c) - 1))), in [0, 1]. */
  cramersV: number;
  n: number;
  /** Share of cells whose expected count is below 5 (the usual warning sign for the chi-square approximation). */
  sparseShare: number;
}

/**
 * Pearson chi-square test of independence on an r x c table of counts, without continuity correction
 * (R's chisq.test(correct = FALSE)); p from the regularised upper incomplete gamma, Q(df / 2, chi2 / 2).
 * Rows or columns whose total is 0 are dropped first. A table that collapses to one row or one column
 * has no association to test: statistic 0, df 0, p 1, V 0.
 */
export function chiSquareTest(table: readonly (readonly number[])[]): ChiSquareResult {
  const width = table[0]?.length ?? 0;
  for (const [r, row] of table.entries()) {
    if (row.length !== width)
      throw new RangeError(`contingency table row ${r} has ${row.length} cells, expected ${width}`);
    for (const v of row)
      if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`contingency table row ${r} has an invalid count ${v}`);
  }
  const rowSums = table.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = Array.from({ length: width }, (_, c) => table.reduce((a, row) => a + row[c], 0));
  const rows = rowSums.flatMap((s, r) => (s > 0 ? [r] : []));
  const cols = colSums.flatMap((s, c) => (s > 0 ? [c] : []));
  const n = rowSums.reduce((a, b) => a + b, 0);
  if (rows.length < 2 || cols.length < 2) return { statistic: 0, df: 0, p: 1, cramersV: 0, n, sparseShare: 0 };
  let statistic = 0;
  let sparse = 0;
  for (const r of rows) {
    for (const c of cols) {
      const expected = (rowSums[r] * colSums[c]) / n;
      if (expected < 5) sparse++;
      statistic += (table[r][c] - expected) ** 2 / expected;
    }
  }
  const df = (rows.length - 1) * (cols.length - 1);
  const k = Math.min(rows.length, cols.length) - 1;
  return {
    statistic,
    df,
    p: chiSquareUpperP(statistic, df),
    n,
    cramersV: Math.min(1, Math.sqrt(statistic / (n * k))),
    sparseShare: sparse / (rows.length * cols.length),
  };
}

/** Cross-tabulate two categorical variables: rows follow the first-seen order of a's levels, columns of b's. */
export function crossTable(
  a: ArrayLike<string>,
  b: ArrayLike<string>,
): { rows: string[]; cols: string[]; counts: number[][] } {
  checkSameLength('crossTable variables', a, b);
  const rowIndex = new Map<string, number>();
  const colIndex = new Map<string, number>();
  for (let i = 0; i < a.length; i++) {
    if (!rowIndex.has(a[i])) rowIndex.set(a[i], rowIndex.size);
    if (!colIndex.has(b[i])) colIndex.set(b[i], colIndex.size);
  }
  const counts = Array.from({ length: rowIndex.size }, () => new Array<number>(colIndex.size).fill(0));
  for (let i = 0; i < a.length; i++) counts[rowIndex.get(a[i])!][colIndex.get(b[i])!]++;
  return { rows: [...rowIndex.keys()], cols: [...colIndex.keys()], counts };
}

/** Chi-square test of independence of two categorical variables given item by item. */
export function chiSquareIndependence(a: ArrayLike<string>, b: ArrayLike<string>): ChiSquareResult {
  return chiSquareTest(crossTable(a, b).counts);
}
