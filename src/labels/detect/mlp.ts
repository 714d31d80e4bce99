/** A one-hidden-layer perceptron with softmax output, trained full-batch with Adam; weights round-trip as JSON. */
import { Rng } from '../../util/rng.js';

export interface MlpWeights {
  classes: string[];
  features: string[];
  /** Feature standardisation, fitted on the training set. */
  mean: number[];
  std: number[];
  w1: number[][]; // hidden x input
  b1: number[];
  w2: number[][]; // classes x hidden
  b2: number[];
}

export function predict(m: MlpWeights, x: readonly number[]): number[] {
  const h = m.b1.map((b, j) => {
    let s = b;
    const row = m.w1[j];
    for (let i = 0; i < x.length; i++) s += row[i] * ((x[i] - m.mean[i]) / m.std[i]);
    return Math.tanh(s);
  });
  const z = m.b2.map((b, c) => b + m.w2[c].reduce((s, w, j) => s + w * h[j], 0));
  const mx = Math.max(...z);
  const e = z.map((v) => Math.exp(v - mx));
  const tot = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / tot);
}

export interface TrainOptions {
  hidden: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Per-class loss weights (default: inverse class frequency, normalised). */
  classWeights?: number[];
}

/** Fit on rows `xs` with integer targets `ys` in [0, classes.length). Deterministic for a given seed. */
export function trainMlp(xs: number[][], ys: number[], classes: string[], features: string[], opts: TrainOptions): MlpWeights {
  const n = xs.length, d = features.length, H = opts.hidden, C = classes.length;
  if (n === 0) throw new Error('trainMlp: no training rows');
  const mean = Array.from({ length: d }, (_, i) => xs.reduce((s, r) => s + r[i], 0) / n);
  const std = Array.from({ length: d }, (_, i) => Math.sqrt(xs.reduce((s, r) => s + (r[i] - mean[i]) ** 2, 0) / n) || 1);
  const X = xs.map((r) => r.map((v, i) => (v - mean[i]) / std[i]));
  const counts = classes.map((_, c) => ys.filter((y) => y === c).length);
  const cw = opts.classWeights ?? counts.map((k) => (k ? n / (C * k) : 0));
  const rng = new Rng(opts.seed);
  const w1 = Array.from({ length: H }, () => Array.from({ length: d }, () => rng.normal(0, 1 / Math.sqrt(d))));
  const b1 = new Array<number>(H).fill(0);
  const w2 = Array.from({ length: C }, () => Array.from({ length: H }, () => rng.normal(0, 1 / Math.sqrt(H))));
  const b2 = new Array<number>(C).fill(0);
  const params = [w1.flat(), b1, w2.flat(), b2];
  const m1 = params.map((p) => new Float64Array(p.length)), v1 = params.map((p) => new Float64Array(p.length));
  const beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  const hid = new Float64Array(H), dh = new Float64Array(H), prob = new Float64Array(C);
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const gw1 = new Float64Array(H * d), gb1 = new Float64Array(H), gw2 = new Float64Array(C * H), gb2 = new Float64Array(C);
    let wsum = 0;
    for (let r = 0; r < n; r++) {
      const x = X[r], y = ys[r], wt = cw[y];
      wsum += wt;
      for (let j = 0; j < H; j++) {
        let s = b1[j];
        const row = w1[j];
        for (let i = 0; i < d; i++) s += row[i] * x[i];
        hid[j] = Math.tanh(s);
      }
      let mx = -Infinity;
      for (let c = 0; c < C; c++) {
        let s = b2[c];
        for (let j = 0; j < H; j++) s += w2[c][j] * hid[j];
        prob[c] = s; if (s > mx) mx = s;
      }
      let tot = 0;
      for (let c = 0; c < C; c++) { prob[c] = Math.exp(prob[c] - mx); tot += prob[c]; }
      dh.fill(0);
      for (let c = 0; c < C; c++) {
        const g = wt * (prob[c] / tot - (c === y ? 1 : 0));
        gb2[c] += g;
        for (let j = 0; j < H; j++) { gw2[c * H + j] += g * hid[j]; dh[j] += g * w2[c][j]; }
      }
      for (let j = 0; j < H; j++) {
        const g = dh[j] * (1 - hid[j] * hid[j]);
        gb1[j] += g;
        for (let i = 0; i < d; i++) gw1[j * d + i] += g * x[i];
      }
    }
    const grads = [gw1, gb1, gw2, gb2];
    const lr = opts.learningRate;
    params.forEach((p, k) => {
      const g = grads[k], m = m1[k], v = v1[k];
      const decay = k === 0 || k === 2 ? opts.l2 : 0;
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] / wsum + decay * p[i];
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        p[i] -= (lr * (m[i] / (1 - beta1 ** epoch))) / (Math.sqrt(v[i] / (1 - beta2 ** epoch)) + eps);
      }
    });
    // copy the flat parameter vectors back into the matrices used by the forward pass
    for (let j = 0; j < H; j++) for (let i = 0; i < d; i++) w1[j][i] = params[0][j * d + i];
    for (let j = 0; j < H; j++) b1[j] = params[1][j];
    for (let c = 0; c < C; c++) for (let j = 0; j < H; j++) w2[c][j] = params[2][c * H + j];
    for (let c = 0; c < C; c++) b2[c] = params[3][c];
  }
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    classes, features, mean: mean.map(round), std: std.map(round),
    w1: w1.map((r) => r.map(round)), b1: b1.map(round), w2: w2.map((r) => r.map(round)), b2: b2.map(round),
  };
}
