import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenTable } from '../../src/stats/index.js';
import { Rng } from '../../src/util/rng.js';

/** A metadata table with a planted confounder (site), an id, a leak (diagnosis code), noise, a numeric confounder and missing values. */
function plantedTable(seed: number, n = 400): Record<string, string>[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const abnormal = rng.bool(0.4);
    const site = rng.bool(abnormal ? 0.75 : 0.3) ? 'hospital_A' : 'hospital_B';
    const code = rng.bool(0.98) ? (abnormal ? 'M84' : 'Z00') : abnormal ? 'Z00' : 'M84';
    return {
      image_id: `img${String(i).padStart(5, '0')}`,
      label: abnormal ? '1' : '0',
      site,
      diagnosis_code: code,
      scanner: rng.pick(['GE', 'Siemens', 'Philips']),
      age: rng.int(0, 9) === 0 ? '' : rng.normal(abnormal ? 52 : 45, 12).toFixed(1),
      noise: rng.normal(0, 1).toFixed(3),
    };
  });
}

test('screen ranks the planted confounders, flags the leak and the identifier', () => {
  const r = screenTable(plantedTable(1), 'label');
  const by = Object.fromEntries(r.columns.map((c) => [c.column, c]));
  assert.equal(r.n, 400);
  assert.equal(r.positive, '1');
  assert.equal(by.image_id.kind, 'identifier');
  assert.deepEqual(by.image_id.flags, ['identifier']);
  assert.equal(by.image_id.effect, null);
  assert.ok(by.diagnosis_code.flags.includes('leakage'), `diagnosis_code effect ${by.diagnosis_code.effect}`);
  assert.equal(by.site.kind, 'categorical');
  assert.ok(by.site.p! < 1e-6 && by.site.effect! > 0.3 && by.site.flags.length === 0);
  assert.equal(by.age.kind, 'numeric');
  assert.ok(by.age.missing > 10, 'missing ages counted');
  assert.equal(by.age.n + by.age.missing, 400);
  assert.ok(by.age.p! < 1e-3 && by.age.auc! > 0.5);
  assert.ok(by.noise.p! > 0.001 && by.noise.effect! < 0.2);
  assert.ok(by.scanner.p! > 0.001);
  // Ranked confounders first (strongest first), then the leak, then the identifier.
  const order = r.columns.map((c) => c.column);
  assert.deepEqual(order.slice(0, 2), ['site', 'age']);
  assert.ok(order.indexOf('diagnosis_code') > order.indexOf('noise'));
  assert.equal(order[order.length - 1], 'image_id');
  const ranked = r.columns.filter((c) => c.flags.length === 0).map((c) => c.effect!);
  assert.deepEqual(
    ranked,
    [...ranked].sort((a, b) => b - a),
  );
});

test('screen is deterministic and handles missing outcomes, constant and outcome-only columns', () => {
  const rows = plantedTable(2, 60).map((row, i) => ({
    ...row,
    label: i < 3 ? 'NA' : row.label,
    constant: 'x',
    only_pos: row.label === '1' ? 'a' : '',
  }));
  const r = screenTable(rows, 'label');
  assert.deepEqual(screenTable(rows, 'label'), r);
  assert.equal(r.outcomeMissing, 3);
  assert.equal(r.n, 57);
  const by = Object.fromEntries(r.columns.map((c) => [c.column, c]));
  assert.deepEqual(by.constant.flags, ['constant']);
  // present only for positives: a presence flag whose blanks are the negatives, i.e. leakage
  assert.deepEqual(by.only_pos.flags, ['leakage', 'presence', 'missing_informative']);
});

test('screen names the problem with the outcome column', () => {
  assert.throws(
    () => screenTable([{ a: '1', b: '2' }], 'label'),
    /outcome column "label" not found; columns are: a, b/,
  );
  assert.throws(() => screenTable([{ y: 'a' }, { y: 'b' }, { y: 'c' }], 'y'), /has 3 distinct values .*binary outcome/);
});

test('dates and times are recognised as one numeric scale; DICOM compact forms only when the name says so', () => {
  const rng = new Rng(8);
  const rows = Array.from({ length: 300 }, (_, i) => {
    const y = rng.bool(0.5);
    const day = 1 + rng.int(0, 27) + (y ? 0 : 0);
    const month = y ? rng.int(7, 12) : rng.int(1, 8);
    const mm = String(month).padStart(2, '0'),
      dd = String(day).padStart(2, '0');
    return {
      label: y ? '1' : '0',
      StudyDate: `2021${mm}${dd}`,
      acquired: `2021-${mm}-${dd}T${String(i % 24).padStart(2, '0')}:30:00`,
      clock: `${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}`,
      code: `2021${mm}${dd}`,
    };
  });
  const by = Object.fromEntries(screenTable(rows, 'label').columns.map((c) => [c.column, c]));
  assert.equal(by.StudyDate.kind, 'datetime');
  assert.equal(by.acquired.kind, 'datetime');
  assert.equal(by.clock.kind, 'datetime');
  assert.ok(by.StudyDate.auc! > 0.8 && by.StudyDate.test === 'mann-whitney');
  assert.equal(by.code.kind, 'numeric');
});
