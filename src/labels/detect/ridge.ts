/** Multi-output ridge regression on standardised features (closed form), used to refine candidate boxes. */

export interface RidgeWeights { mean: number[]; std: number[]; /** outputs x (features + 1), intercept last */ w: number[][] }

export function applyRidge(m: RidgeWeights, x: readonly number[]): number[] {
  return m.w.map((row) => {
    let s = row[row.length - 1];
    for (let i = 0; i < x.length; i++) s += row[i] * ((x[i] - m.mean[i]) / m.std[i]);
    return s;
  });
}

/** Solve A x = b in place by Gaussian elimination with partial pivoting (A small and well conditioned by the ridge). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(A[r][c]) > Math.abs(A[p][c])) p = r;
    [A[c], A[p]] = [A[p], A[c]]; [b[c], b[p]] = [b[p], b[c]];
    for (let r = c + 1; r < n; r++) {
      const f = A[r][c] / A[c][c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) A[r][k] -= f * A[c][k];
      b[r] -= f * b[c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= A[r][k] * x[k];
    x[r] = s / A[r][r];
  }
  return x;
}

export function fitRidge(xs: number[][], ys: number[][], lambda: number): RidgeWeights {
  const n = xs.length, d = xs[0].length, outs = ys[0].length;
  const mean = Array.from({ length: d }, (_, i) => xs.reduce((s, r) => s + r[i], 0) / n);
  const std = Array.from({ length: d }, (_, i) => Math.sqrt(xs.reduce((s, r) => s + (r[i] - mean[i]) ** 2, 0) / n) || 1);
  const X = xs.map((r) => [...r.map((v, i) => (v - mean[i]) / std[i]), 1]);
  const D = d + 1;
  const w = Array.from({ length: outs }, (_, o) => {
    const A = Array.from({ length: D }, (_, i) => Array.from({ length: D }, (_, j) => (i === j && i < d ? lambda * n : 0)));
    const b = new Array<number>(D).fill(0);
    for (let r = 0; r < n; r++) {
      const x = X[r];
      for (let i = 0; i < D; i++) { b[i] += x[i] * ys[r][o]; for (let j = 0; j < D; j++) A[i][j] += x[i] * x[j]; }
    }
    return solve(A, b).map((v) => Math.round(v * 1e6) / 1e6);
  });
  return { mean: mean.map((v) => Math.round(v * 1e6) / 1e6), std: std.map((v) => Math.round(v * 1e6) / 1e6), w };
}
