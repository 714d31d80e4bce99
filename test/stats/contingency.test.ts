import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chiSquareIndependence, chiSquareTest, mannWhitney } from '../../src/stats/index.js';
import { decodeLabels, decodeScores, loadFixture, near, nearRel } from './fixtures.js';

const dist = loadFixture<{ chisq: { name: string; table: number[][]; statistic: number; df: number; p: number }[] }>(
  'distributions.json',
);
const mw = loadFixture<{
  cases: {
    name: string;
    labels: string;
    scale: number;
    scores: number[];
    u: number;
    p_corrected: number;
    p_uncorrected: number;
  }[];
}>('mann-whitney.json');

for (const c of dist.chisq) {
  test(`chi-square test matches R chisq.test(correct = FALSE): ${c.name}`, () => {
    const r = chiSquareTest(c.table);
    nearRel(r.statistic, c.statistic, 1e-9, 1e-12, 'statistic');
    assert.equal(r.df, c.df);
    nearRel(r.p, c.p, 1e-6, 1e-9, 'p');
    const k = Math.min(c.table.length, c.table[0].length) - 1;
    near(r.cramersV, Math.sqrt(c.statistic / (r.n * k)), 1e-12, "Cramer's V");
    assert.ok(r.cramersV >= 0 && r.cramersV <= 1);
  });
}

test("Cramer's V is 1 for a perfect association and 0 for independence", () => {
  near(
    chiSquareTest([
      [10, 0],
      [0, 7],
    ]).cramersV,
    1,
    1e-12,
    'perfect',
  );
  near(
    chiSquareTest([
      [10, 20],
      [5, 10],
    ]).cramersV,
    0,
    1e-12,
    'independent',
  );
  const a = ['x', 'y', 'x', 'z', 'y', 'z'];
  assert.deepEqual(chiSquareIndependence(a, a).df, 4);
});

test('degenerate tables: one level gives p 1; ragged or negative tables throw', () => {
  assert.deepEqual(chiSquareTest([[3, 4]]), { statistic: 0, df: 0, p: 1, cramersV: 0, n: 7, sparseShare: 0 });
  assert.equal(
    chiSquareTest([
      [3, 4],
      [0, 0],
    ]).p,
    1,
  );
  assert.throws(() => chiSquareTest([[1, 2], [3]]), /row 1 has 1 cells, expected 2/);
  assert.throws(
    () =>
      chiSquareTest([
        [1, -2],
        [3, 4],
      ]),
    /invalid count -2/,
  );
});

for (const c of mw.cases) {
  test(`Mann-Whitney normal approximation matches R wilcox.test: ${c.name}`, () => {
    const y = decodeLabels(c.labels);
    const s = decodeScores(c.scores, c.scale);
    const r = mannWhitney(y, s);
    near(r.u, c.u, 1e-9, 'U');
    nearRel(r.p, c.p_corrected, 1e-6, 1e-9, 'p (continuity corrected)');
    nearRel(mannWhitney(y, s, false).p, c.p_uncorrected, 1e-6, 1e-9, 'p (uncorrected)');
  });
}

test('Mann-Whitney with every value tied: z 0, p 1', () => {
  const r = mannWhitney([0, 1, 0, 1], [2, 2, 2, 2]);
  assert.equal(r.z, 0);
  assert.equal(r.p, 1);
  assert.equal(r.auc, 0.5);
});
