/** A one-hidden-layer perceptron with softmax output, trained full-batch with Adam; weights round-trip as JSON. */
import { Rng } from '../../util/index.js';

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

/** The weights as flat typed arrays (the same doubles), made once per weights object. */
interface Packed {
  mean: Float64Array;
  std: Float64Array;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
  x: Float64Array;
  h: Float64Array;
}
const packed = new WeakMap<MlpWeights, Packed>();
function pack(m: MlpWeights): Packed {
  let p = packed.get(m);
  if (!p) {
    const flat = (rows: number[][]) => Float64Array.from(rows.flat());
    p = {
      mean: Float64Array.from(m.mean),
      std: Float64Array.from(m.std),
      w1: flat(m.w1),
      b1: Float64Array.from(m.b1),
      w2: flat(m.w2),
      b2: Float64Array.from(m.b2),
      x: new Float64Array(m.mean.length),
      h: new Float64Array(m.b1.length),
    };
    packed.set(m, p);
  }
  return p;
}

export function predict(m: MlpWeights, x: readonly number[]): number[] {
  const p = pack(m);
  const d = p.mean.length,
    H = p.b1.length,
    C = p.b2.length;
  if (x.length !== d) throw new Error(`predict: ${x.length} features, the weights take ${d}`);
  // standardise once, not once per hidden unit (the same values in the same order, so the same outputs)
  const z0 = p.x,
    h = p.h;
  for (let i = 0; i < d; i++) z0[i] = (x[i] - p.mean[i]) / p.std[i];
  for (let j = 0, o = 0; j < H; j++, o += d) {
    let s = p.b1[j];
    for (let i = 0; i < d; i++) s += p.w1[o + i] * z0[i];
    h[j] = Math.tanh(s);
  }
  const z = new Array<number>(C);
  for (let c = 0, o = 0; c < C; c++, o += H) {
    let s = 0;
    for (let j = 0; j < H; j++) s += p.w2[o + j] * h[j];
    z[c] = p.b2[c] + s;
  }
  const mx = Math.max(...z);
  // loops, not callbacks (a closure made per call is recompiled after each major GC)
  let tot = 0;
  for (let c = 0; c < C; c++) {
    z[c] = Math.exp(z[c] - mx);
    tot += z[c];
  }
  for (let c = 0; c < C; c++) z[c] /= tot;
  return z;
}

export interface TrainOptions {
  hidden: number;
  /** Passes over the rows. */
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Rows per Adam step (rows shuffled each epoch); default: all rows (full batch). */
  batchSize?: number;
  /** Per-class loss weights (default: inverse class frequency, normalised). */
  classWeights?: number[];
}

/**
 * Fit on rows `xs` with targets `ys`: integer classes in [0, classes.length), or per-row target distributions
 * (soft targets, e.g. [1 - IoU, IoU] for a box-quality head; class weights then default to 1). Deterministic for
 * a given seed. A non-finite input is an error: one would turn the standardisation, and so every weight, into NaN.
 */
export function trainMlp(
  xs: number[][],
  ys: readonly (number | readonly number[])[],
  classes: string[],
  features: string[],
  opts: TrainOptions,
): MlpWeights {
  const n = xs.length,
    d = features.length,
    H = opts.hidden,
    C = classes.length;
  if (n === 0) throw new Error('trainMlp: no training rows');
  if (ys.length !== n) throw new Error(`trainMlp: ${n} rows but ${ys.length} targets`);
  for (let k = 0; k < n; k++) {
    const r = xs[k];
    if (r.length !== d) throw new Error(`trainMlp: row ${k} has ${r.length} features, expected ${d}`);
    for (let i = 0; i < d; i++)
      if (!Number.isFinite(r[i])) throw new Error(`trainMlp: row ${k}, feature ${features[i]} is ${r[i]}`);
  }
  const soft = ys.map((y) => (typeof y === 'number' ? null : y));
  const hard = ys.map((y) => (typeof y === 'number' ? y : -1));
  const mean = Array.from({ length: d }, (_, i) => xs.reduce((s, r) => s + r[i], 0) / n);
  const std = Array.from(
    { length: d },
    (_, i) => Math.sqrt(xs.reduce((s, r) => s + (r[i] - mean[i]) ** 2, 0) / n) || 1,
  );
  const X = new Float64Array(n * d);
  xs.forEach((r, k) =>
    r.forEach((v, i) => {
      X[k * d + i] = (v - mean[i]) / std[i];
    }),
  );
  const counts = classes.map((_, c) => hard.filter((y) => y === c).length);
  const anySoft = soft.some((t) => t !== null);
  const cw = opts.classWeights ?? (anySoft ? classes.map(() => 1) : counts.map((k) => (k ? n / (C * k) : 0)));
  const rng = new Rng(opts.seed);
  // parameters in one flat vector: w1 (H x d), b1 (H), w2 (C x H), b2 (C)
  const oB1 = H * d,
    oW2 = oB1 + H,
    oB2 = oW2 + C * H,
    P = oB2 + C;
  const p = new Float64Array(P);
  for (let i = 0; i < H * d; i++) p[i] = rng.normal(0, 1 / Math.sqrt(d));
  for (let i = 0; i < C * H; i++) p[oW2 + i] = rng.normal(0, 1 / Math.sqrt(H));
  const decays = new Uint8Array(P);
  decays.fill(1, 0, oB1);
  decays.fill(1, oW2, oB2);
  const m1 = new Float64Array(P),
    v1 = new Float64Array(P),
    g = new Float64Array(P);
  const beta1 = 0.9,
    beta2 = 0.999,
    eps = 1e-8;
  const hid = new Float64Array(H),
    dh = new Float64Array(H),
    prob = new Float64Array(C);
  const batch = Math.min(n, opts.batchSize ?? n);
  const order = Array.from({ length: n }, (_, i) => i);
  let step = 0;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    if (batch < n) rng.shuffle(order);
    for (let start = 0; start < n; start += batch) {
      const end = Math.min(n, start + batch);
      g.fill(0);
      let wsum = 0;
      for (let q = start; q < end; q++) {
        const r = order[q],
          xo = r * d,
          y = hard[r],
          t = soft[r],
          wt = t ? 1 : cw[y];
        wsum += wt;
        for (let j = 0; j < H; j++) {
          let s = p[oB1 + j];
          const wo = j * d;
          for (let i = 0; i < d; i++) s += p[wo + i] * X[xo + i];
          hid[j] = Math.tanh(s);
        }
        let mx = -Infinity;
        for (let c = 0; c < C; c++) {
          let s = p[oB2 + c];
          for (let j = 0; j < H; j++) s += p[oW2 + c * H + j] * hid[j];
          prob[c] = s;
          if (s > mx) mx = s;
        }
        let tot = 0;
        for (let c = 0; c < C; c++) {
          prob[c] = Math.exp(prob[c] - mx);
          tot += prob[c];
        }
        dh.fill(0);
        for (let c = 0; c < C; c++) {
          const gc = wt * (prob[c] / tot - (t ? t[c] : c === y ? 1 : 0));
          g[oB2 + c] += gc;
          for (let j = 0; j < H; j++) {
            g[oW2 + c * H + j] += gc * hid[j];
            dh[j] += gc * p[oW2 + c * H + j];
          }
        }
        for (let j = 0; j < H; j++) {
          const gj = dh[j] * (1 - hid[j] * hid[j]);
          g[oB1 + j] += gj;
          const wo = j * d;
          for (let i = 0; i < d; i++) g[wo + i] += gj * X[xo + i];
        }
      }
      step++;
      const lr = opts.learningRate,
        c1 = 1 - beta1 ** step,
        c2 = 1 - beta2 ** step;
      for (let i = 0; i < P; i++) {
        const gi = g[i] / wsum + (decays[i] ? opts.l2 * p[i] : 0);
        m1[i] = beta1 * m1[i] + (1 - beta1) * gi;
        v1[i] = beta2 * v1[i] + (1 - beta2) * gi * gi;
        p[i] -= (lr * (m1[i] / c1)) / (Math.sqrt(v1[i] / c2) + eps);
      }
    }
  }
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  const rows = (off: number, r: number, c: number) =>
    Array.from({ length: r }, (_, j) => Array.from(p.subarray(off + j * c, off + (j + 1) * c), round));
  return {
    classes,
    features,
    mean: mean.map(round),
    std: std.map(round),
    w1: rows(0, H, d),
    b1: Array.from(p.subarray(oB1, oW2), round),
    w2: rows(oW2, C, H),
    b2: Array.from(p.subarray(oB2, P), round),
  };
}

/**
 * One perceptron equal to the ensemble of several with the same classes and features: it outputs the softmax of
 * their mean logits. Hidden layers are stacked, each member's standardisation folded into its own first-layer
 * weights (so members fitted on different rows merge exactly), and output weights divided by the member count.
 */
export function mergeMlps(ms: readonly MlpWeights[]): MlpWeights {
  if (ms.length === 0) throw new Error('mergeMlps: no members');
  const [first] = ms;
  for (const m of ms) {
    if (m.classes.join() !== first.classes.join() || m.features.join() !== first.features.join()) {
      throw new Error('mergeMlps: members differ in classes or features');
    }
  }
  if (ms.length === 1) return first;
  const K = ms.length;
  const w1: number[][] = [],
    b1: number[] = [];
  for (const m of ms) {
    m.w1.forEach((row, j) => {
      w1.push(row.map((w, i) => w / m.std[i]));
      b1.push(m.b1[j] - row.reduce((s, w, i) => s + (w * m.mean[i]) / m.std[i], 0));
    });
  }
  return {
    classes: first.classes,
    features: first.features,
    mean: first.features.map(() => 0),
    std: first.features.map(() => 1),
    w1,
    b1,
    w2: first.classes.map((_, c) => ms.flatMap((m) => m.w2[c].map((w) => w / K))),
    b2: first.classes.map((_, c) => ms.reduce((s, m) => s + m.b2[c], 0) / K),
  };
}
