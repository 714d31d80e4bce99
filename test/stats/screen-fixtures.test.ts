import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cramersVBiasCorrected, cramersVCi, poisson, screenTable } from '../../src/stats/index.js';
import { Rng } from '../../src/util/rng.js';
import { loadFixture, nearRel } from './fixtures.js';

interface Fixture {
  v: { name: string; table: number[][]; v_bc: number }[];
  table: {
    labels: string;
    age: string[];
    flag: string[];
    age_auc: number;
    age_mw_p: number;
    age_binned_v_bc: number;
    age_binned_p: number;
    flag_v_bc: number;
    flag_p: number;
  };
}
const fx = loadFixture<Fixture>('screen.json');

for (const c of fx.v) {
  test(`bias-corrected Cramér's V matches Bergsma's formula on scipy's chi-square: ${c.name}`, () => {
    nearRel(cramersVBiasCorrected(c.table), c.v_bc, 1e-12, 1e-10, 'V');
  });
}

test('the screen of a table matches scikit-learn / scipy: AUC, Mann-Whitney p, binned V, a presence flag', () => {
  const t = fx.table;
  const rows = [...t.labels].map((y, i) => ({ label: y, age: t.age[i], flag: t.flag[i] }));
  const by = Object.fromEntries(screenTable(rows, 'label').columns.map((c) => [c.column, c]));
  assert.equal(by.age.kind, 'numeric');
  assert.ok(!by.age.flags.includes('missing_informative'));
  nearRel(by.age.auc!, t.age_auc, 1e-12, 1e-12, 'AUC');
  nearRel(by.age.p!, t.age_mw_p, 1e-9, 1e-7, 'Mann-Whitney p');
  nearRel(by.age.effect!, t.age_binned_v_bc, 1e-12, 1e-10, 'binned V');
  nearRel(by.age.p_binned!, t.age_binned_p, 1e-9, 1e-7, 'binned chi-square p');
  assert.deepEqual(by.flag.flags, ['presence', 'missing_informative']);
  nearRel(by.flag.effect!, t.flag_v_bc, 1e-12, 1e-10, 'presence flag V');
  nearRel(by.flag.p!, t.flag_p, 1e-9, 1e-7, 'presence flag p');
});

test('Poisson draws have the mean and variance lambda, below and above the method switch', () => {
  const rng = new Rng(4);
  for (const lambda of [0.5, 7, 29, 31, 400, 25000]) {
    const n = 20000;
    let s = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      const k = poisson(rng, lambda);
      s += k;
      s2 += k * k;
    }
    const mean = s / n,
      variance = s2 / n - mean * mean;
    // 5 standard errors of the mean; the variance within 6 %
    assert.ok(Math.abs(mean - lambda) < 5 * Math.sqrt(lambda / n), `lambda ${lambda}: mean ${mean}`);
    assert.ok(Math.abs(variance / lambda - 1) < 0.06, `lambda ${lambda}: variance ${variance}`);
  }
});

test('the CI of V covers the V of the population it was drawn from, and is seeded', () => {
  const table = [
    [300, 100],
    [150, 450],
  ];
  const [lo, hi] = cramersVCi(table, 'x');
  const v = cramersVBiasCorrected(table);
  assert.ok(lo < v && v < hi && hi - lo < 0.15, `${lo} ${v} ${hi}`);
  assert.deepEqual(cramersVCi(table, 'x'), [lo, hi]);
});
