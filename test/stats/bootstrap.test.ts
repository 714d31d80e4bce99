import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aucCiDelong, bootstrapAucCi, bootstrapCi, mean, quantileSorted } from '../../src/stats/index.js';
import { Rng } from '../../src/util/rng.js';

function sample(seed: number, n: number): { y: number[]; s: number[] } {
  const rng = new Rng(seed);
  const y = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
  return { y, s: y.map((v) => rng.normal(v * 1.2, 1)) };
}

test('type-7 quantiles match R quantile()', () => {
  const v = Float64Array.from([1, 2, 3, 4, 10]);
  assert.equal(quantileSorted(v, 0), 1);
  assert.equal(quantileSorted(v, 1), 10);
  assert.equal(quantileSorted(v, 0.5), 3);
  assert.ok(Math.abs(quantileSorted(v, 0.9) - 7.6) < 1e-12); // R: quantile(c(1,2,3,4,10), 0.9) = 7.6
});

test('same seed gives identical intervals, another seed a different one', () => {
  const { y, s } = sample(3, 300);
  const a = bootstrapAucCi(y, s, { n: 300, seed: 42 });
  const b = bootstrapAucCi(y, s, { n: 300, seed: 42 });
  const c = bootstrapAucCi(y, s, { n: 300, seed: 43 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.ci, c.ci);
});

test('stratified bootstrap AUC CI brackets the AUC and agrees with the DeLong CI width', () => {
  const { y, s } = sample(5, 900);
  const boot = bootstrapAucCi(y, s, { n: 1000, seed: 1 });
  const delong = aucCiDelong(y, s);
  assert.equal(boot.estimate, delong.auc);
  assert.ok(boot.ci[0] < boot.estimate && boot.estimate < boot.ci[1]);
  const ratio = (boot.ci[1] - boot.ci[0]) / (delong.ci[1] - delong.ci[0]);
  assert.ok(ratio > 0.85 && ratio < 1.15, `width ratio bootstrap / DeLong = ${ratio}`);
});

test('generic bootstrap of a mean approaches the normal-theory interval', () => {
  const rng = new Rng(9);
  const v = Array.from({ length: 2000 }, () => rng.normal(3, 2));
  const r = bootstrapCi(v, mean, { n: 1000, seed: 2, level: 0.9 });
  const se = 2 / Math.sqrt(v.length);
  const width = r.ci[1] - r.ci[0];
  assert.ok(Math.abs(width - 2 * 1.645 * se) < 0.15 * width, `width ${width}`);
  assert.ok(r.ci[0] < r.estimate && r.estimate < r.ci[1]);
  assert.equal(r.level, 0.9);
});

test('constant values give a zero-width interval; bad options and values are rejected', () => {
  assert.deepEqual(bootstrapCi([4, 4, 4], mean, { n: 50 }).ci, [4, 4]);
  assert.throws(() => bootstrapCi([], mean), /at least one value/);
  assert.throws(() => bootstrapCi([1, NaN], mean), /value at index 1 is NaN/);
  assert.throws(() => bootstrapCi([1, 2], mean, { n: 0 }), /resamples/);
  assert.throws(() => bootstrapAucCi([1, 1], [0.2, 0.3]), /AUC needs both classes/);
});

test('non-finite resample statistics are counted, not used', () => {
  const r = bootstrapCi([0, 1], (x) => (x[0] === x[1] ? NaN : 1), { n: 200, seed: 4 });
  assert.ok(r.skipped > 0 && r.skipped < 200);
  assert.deepEqual(r.ci, [1, 1]);
});
