import { chiSquareTest } from './contingency.js';
import { quantileSorted } from './bootstrap.js';
import { Rng } from '../util/index.js';

/**
 * Bias-corrected Cramér's V (Bergsma 2013, J. Korean Stat. Soc. 42:323-328). Plain V grows with the number of
 * levels even under independence (its chi-square has (r-1)(c-1) degrees of freedom of noise); Bergsma subtracts
 * that expectation from phi^2 and shrinks the table's dimensions to match:
 *   phi2* = max(0, chi2/n - (r-1)(c-1)/(n-1)),  r* = r - (r-1)^2/(n-1),  c* = c - (c-1)^2/(n-1),
 *   V* = sqrt(phi2* / min(r*-1, c*-1)).
 * Empty rows and columns are dropped first; a table of one row or column (or n < 2) gives 0.
 */
export function cramersVBiasCorrected(table: readonly (readonly number[])[]): number {
  const chi = chiSquareTest(table);
  const n = chi.n;
  const r = table.filter((row) => row.some((v) => v > 0)).length;
  const c = (table[0] ?? []).filter((_, j) => table.some((row) => row[j] > 0)).length;
  if (r < 2 || c < 2 || n < 2) return 0;
  const phi2 = Math.max(0, chi.statistic / n - ((r - 1) * (c - 1)) / (n - 1));
  const rc = r - (r - 1) ** 2 / (n - 1);
  const cc = c - (c - 1) ** 2 / (n - 1);
  const k = Math.min(rc - 1, cc - 1);
  return k > 0 ? Math.min(1, Math.sqrt(phi2 / k)) : 0;
}

/**
 * One Poisson(lambda) draw: multiplication (Knuth) below 30, else the transformed rejection PTRS of
 * Hörmann (1993, Insurance: Math. Econ. 12:39-45), exact for any lambda >= 10.
 */
export function poisson(rng: Rng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0,
      p = rng.next();
    while (p > limit) {
      k++;
      p *= rng.next();
    }
    return k;
  }
  const slam = Math.sqrt(lambda),
    loglam = Math.log(lambda);
  const b = 0.931 + 2.53 * slam,
    a = -0.059 + 0.02483 * b,
    invalpha = 1.1239 + 1.1328 / (b - 3.4),
    vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.next() - 0.5,
      v = rng.next(),
      us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    const lhs = Math.log((v * invalpha) / (a / (us * us) + b));
    if (lhs <= -lambda + k * loglam - logFactorial(k)) return k;
  }
}

function logFactorial(k: number): number {
  if (k < 2) return 0;
  // Stirling with two correction terms: exact to ~1e-10 from k = 10, where PTRS needs it
  return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k ** 3);
}

/**
 * Percentile CI of the bias-corrected V by the Poisson bootstrap of the table (Hanley & MacGibbon 2006): each
 * cell count is redrawn as Poisson(count), which for large n is the multinomial bootstrap of the rows, at the
 * cost of the cells instead of the rows (a 100,000-row column costs as much as a 100-row one).
 */
export function cramersVCi(
  table: readonly (readonly number[])[],
  seed: number | string,
  replicates = 200,
  level = 0.95,
): [number, number] {
  const rng = new Rng(seed);
  const vs = new Float64Array(replicates);
  for (let b = 0; b < replicates; b++)
    vs[b] = cramersVBiasCorrected(table.map((row) => row.map((v) => poisson(rng, v))));
  vs.sort();
  return [quantileSorted(vs, (1 - level) / 2), quantileSorted(vs, 1 - (1 - level) / 2)];
}
