import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateByStudy, cohenKappa, cohenKappaBinary, sensitivitySpecificity } from '../../src/stats/index.js';
import { loadFixture, near } from './fixtures.js';

const fx = loadFixture<{
  cases: { name: string; rater1: (string | number)[]; rater2: (string | number)[]; kappa: number | null }[];
}>('kappa.json');

for (const c of fx.cases) {
  test(`Cohen's kappa matches scikit-learn: ${c.name}`, () => {
    const k = cohenKappa(c.rater1, c.rater2);
    if (c.kappa === null) assert.ok(Number.isNaN(k), `expected NaN (undefined kappa), got ${k}`);
    else near(k, c.kappa, 1e-12, 'kappa');
  });
}

test('binary kappa checks its labels and is symmetric', () => {
  const a = [0, 1, 1, 0, 1, 0, 0, 1];
  const b = [0, 1, 0, 0, 1, 1, 0, 1];
  near(cohenKappaBinary(a, b), cohenKappaBinary(b, a), 1e-15, 'symmetry');
  assert.throws(() => cohenKappaBinary([0, 2], [0, 1]), /label at index 1 is 2/);
  assert.throws(() => cohenKappa([1, 2], [1]), /lengths differ/);
  assert.throws(() => cohenKappa([], []), /at least one/);
});

test('sensitivity and specificity count score >= threshold as positive', () => {
  const y = [1, 1, 1, 0, 0, 0, 0];
  const s = [0.9, 0.5, 0.2, 0.5, 0.1, 0.3, 0.6];
  const r = sensitivitySpecificity(y, s, 0.5);
  assert.deepEqual([r.tp, r.fn, r.tn, r.fp], [2, 1, 2, 2]);
  near(r.sensitivity, 2 / 3, 1e-15, 'sensitivity');
  near(r.specificity, 0.5, 1e-15, 'specificity');
  const all = sensitivitySpecificity(y, s, -Infinity);
  assert.equal(all.sensitivity, 1);
  assert.equal(all.specificity, 0);
  assert.throws(() => sensitivitySpecificity(y, s, NaN), /threshold is NaN/);
});

test('study aggregation: mean probability, abnormal when > 0.5, first-seen order', () => {
  const studies = aggregateByStudy([
    { study: 's2', label: 1, score: 0.4 },
    { study: 's1', label: 0, score: 0.5 },
    { study: 's2', label: 1, score: 0.8 },
    { study: 's1', label: 0, score: 0.5 },
    { study: 's3', label: 1, score: 0.51 },
  ]);
  assert.deepEqual(
    studies.map((s) => s.study),
    ['s2', 's1', 's3'],
  );
  near(studies[0].score, 0.6, 1e-15, 's2 mean');
  assert.deepEqual(
    studies.map((s) => s.predicted),
    [1, 0, 1],
  );
  assert.deepEqual(
    studies.map((s) => s.images),
    [2, 2, 1],
  );
  assert.throws(
    () =>
      aggregateByStudy([
        { study: 'x', label: 1, score: 0.2 },
        { study: 'x', label: 0, score: 0.3 },
      ]),
    /study "x" mixes labels/,
  );
  assert.throws(() => aggregateByStudy([{ study: 'x', label: 1, score: NaN, id: 'img9' }]), /id "img9"/);
});
