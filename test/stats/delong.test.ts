import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auc, aucCiDelong, delongPaired, delongCovariance, placements } from '../../src/stats/index.js';
import { Rng } from '../../src/util/rng.js';
import { decodeLabels, decodeScores, loadFixture, near, nearRel } from './fixtures.js';

interface AucCase {
  name: string;
  labels: string;
  scale: number;
  scores: number[];
  auc: number;
  var: number;
  ci_lo: number;
  ci_hi: number;
}
interface PairedCase {
  name: string;
  labels: string;
  scale: number;
  scores1: number[];
  scores2: number[];
  auc1: number;
  auc2: number;
  z: number;
  p: number;
}
const fx = loadFixture<{ auc: AucCase[]; paired: PairedCase[] }>('delong.json');

/** Direct O(n^2) definition: P(pos > neg) + 1/2 P(tie). */
function bruteAuc(y: ArrayLike<number>, s: ArrayLike<number>): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 1) continue;
    for (let j = 0; j < y.length; j++) {
      if (y[j] !== 0) continue;
      pairs++;
      sum += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
    }
  }
  return sum / pairs;
}

for (const c of fx.auc) {
  test(`AUC and DeLong CI match pROC: ${c.name}`, () => {
    const y = decodeLabels(c.labels);
    const s = decodeScores(c.scores, c.scale);
    near(auc(y, s), c.auc, 1e-9, 'auc');
    const r = aucCiDelong(y, s);
    near(r.auc, c.auc, 1e-9, 'auc');
    near(r.variance, c.var, 1e-9, 'variance');
    near(r.ci[0], c.ci_lo, 1e-6, 'ci lower');
    near(r.ci[1], c.ci_hi, 1e-6, 'ci upper');
    assert.ok(r.ci[0] >= 0 && r.ci[1] <= 1, 'CI clipped to [0, 1]');
  });
}

for (const c of fx.paired) {
  test(`paired DeLong matches pROC roc.test: ${c.name}`, () => {
    const y = decodeLabels(c.labels);
    const r = delongPaired(y, decodeScores(c.scores1, c.scale), decodeScores(c.scores2, c.scale));
    near(r.auc1, c.auc1, 1e-9, 'auc1');
    near(r.auc2, c.auc2, 1e-9, 'auc2');
    near(r.diff, c.auc1 - c.auc2, 1e-9, 'diff');
    near(r.z, c.z, 1e-6, 'z');
    nearRel(r.p, c.p, 1e-6, 1e-6, 'p');
  });
}

test('AUC equals the pairwise definition on random tied data', () => {
  const rng = new Rng(7);
  for (let t = 0; t < 20; t++) {
    const n = rng.int(4, 60);
    const y = Array.from({ length: n }, (_, i) => (i < 2 ? i : rng.bool(0.4) ? 1 : 0));
    const s = Array.from({ length: n }, () => rng.int(0, 5));
    near(auc(y, s), bruteAuc(y, s), 1e-12, `trial ${t}`);
    const pl = placements(y, s);
    near(pl.v10.reduce((a, b) => a + b, 0) / pl.v10.length, pl.auc, 1e-12, 'mean V10 = AUC');
    near(pl.v01.reduce((a, b) => a + b, 0) / pl.v01.length, pl.auc, 1e-12, 'mean V01 = AUC');
  }
});

test('AUC is invariant to monotone transforms and flips with the labels', () => {
  const rng = new Rng(11);
  const y = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const s = y.map((v) => rng.normal(v, 1));
  const a = auc(y, s);
  near(
    auc(
      y,
      s.map((v) => Math.exp(3 * v)),
    ),
    a,
    1e-12,
    'monotone transform',
  );
  near(
    auc(
      y.map((v) => 1 - v),
      s,
    ),
    1 - a,
    1e-12,
    'label flip',
  );
});

test('paired test of a score set with itself: diff 0, z 0, p 1', () => {
  const y = [0, 1, 0, 1, 1, 0, 0, 1];
  const s = [0.1, 0.7, 0.4, 0.4, 0.9, 0.2, 0.8, 0.6];
  const r = delongPaired(y, s, s);
  assert.equal(r.diff, 0);
  assert.equal(r.z, 0);
  assert.equal(r.p, 1);
  const { cov } = delongCovariance(y, [s, s]);
  near(cov[0][1], cov[0][0], 1e-15, 'covariance of identical sets equals the variance');
});

test('degenerate inputs give clear errors', () => {
  assert.throws(
    () => auc(new Array(12).fill(1), new Array(12).fill(0.3)),
    /AUC needs both classes: got 12 positives and 0 negatives/,
  );
  assert.throws(() => auc([0, 1, 1], [0.1, NaN, 0.3]), /score at index 1 is NaN/);
  assert.throws(() => auc([0, 1], [0.1, Infinity], ['a', 'img-7']), /score at id "img-7" \(index 1\) is Infinity/);
  assert.throws(() => auc([0, 1, 1], [0.1, 0.2]), /lengths differ \(3 vs 2\)/);
  assert.throws(() => auc([0, 2], [0.1, 0.2]), /label at index 1 is 2/);
  assert.throws(
    () => aucCiDelong([0, 1, 1], [0.1, 0.5, 0.6]),
    /at least 2 positives and 2 negatives: got 2 positives and 1 negatives/,
  );
  assert.throws(() => delongPaired([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2]), /score set 2: lengths differ/);
  assert.throws(() => aucCiDelong([0, 1, 0, 1], [0.1, 0.2, 0.3, 0.4], 1.5), /confidence level/);
});
