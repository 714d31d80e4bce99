/**
 * The three ways the screen failed on a real curated radiograph table (issue 19), on tables that mimic them:
 * presence flags written "1" or blank, integer identifiers, and a code that encodes the outcome.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chiSquareIndependence, screenTable, type ScreenColumn } from '../../src/stats/index.js';
import { Rng } from '../../src/util/rng.js';

const byName = (cols: ScreenColumn[]) => Object.fromEntries(cols.map((c) => [c.column, c]));

/** Patients with 1-3 images; the outcome is per patient. */
function patients(seed: number, n: number): { patient: number; abnormal: boolean; rng: Rng }[] {
  const rng = new Rng(seed);
  const out: { patient: number; abnormal: boolean; rng: Rng }[] = [];
  while (out.length < n) {
    const abnormal = rng.bool(0.4);
    const id = 100000 + rng.int(0, 899999);
    for (let k = rng.int(1, 3); k > 0 && out.length < n; k--) out.push({ patient: id, abnormal, rng });
  }
  return out;
}

test('a presence flag written "1" or blank is a two-level column whose blanks mean absent', () => {
  const rows = patients(11, 3000).map(({ abnormal, rng }) => ({
    label: abnormal ? '1' : '0',
    portable: rng.bool(abnormal ? 0.6 : 0.2) ? '1' : '',
    site: rng.pick(['A', 'B', 'C']),
  }));
  const r = screenTable(rows, 'label');
  const c = byName(r.columns).portable;
  // what the blanks carry: the 2x2 table's phi, which for two levels is V before the small bias correction
  const t = [
    [0, 0],
    [0, 0],
  ];
  for (const row of rows) t[row.portable === '1' ? 1 : 0][Number(row.label)]++;
  const n = rows.length,
    [[a, b], [cc, d]] = t;
  const phi = Math.abs(a * d - b * cc) / Math.sqrt((a + b) * (cc + d) * (a + cc) * (b + d));
  assert.equal(c.kind, 'categorical');
  assert.ok(c.flags.includes('presence') && c.flags.includes('missing_informative'), `flags ${c.flags}`);
  assert.equal(c.n, n);
  assert.ok(Math.abs(c.effect! - phi) < 0.005, `effect ${c.effect} vs phi ${phi}`);
  assert.ok(c.missing_share > 0.5 && c.missing_share < 0.8);
  assert.ok(c.ci![0] < c.effect! && c.effect! < c.ci![1]);
  assert.equal(r.columns[0].column, 'portable');
});

test('integer identifiers (patient numbers, accession numbers, hashes) are flagged and not ranked', () => {
  const rng = new Rng(12);
  const rows = patients(12, 2000).map(({ patient, abnormal }, i) => ({
    label: abnormal ? '1' : '0',
    // outcome-correlated by accident: patient numbers were given out in blocks
    PatientNo: String(patient + (abnormal ? 1_000_000 : 0)),
    record: String(patient * 7 + 13),
    AccessionNumber: String(50_000_000 + i * 3),
    checksum: (rng.uint32() >>> 0).toString(16).padStart(8, '0'),
    kvp: String(rng.int(50, 70)),
  }));
  const r = screenTable(rows, 'label');
  const by = byName(r.columns);
  for (const id of ['PatientNo', 'record', 'AccessionNumber', 'checksum']) {
    assert.equal(by[id].kind, 'identifier', id);
    assert.deepEqual(by[id].flags, ['identifier'], id);
    assert.equal(by[id].effect, null, id);
  }
  assert.equal(by.kvp.kind, 'numeric');
  // PatientNo is taken as the patient key; "record" is one value per patient, as many values as patients
  assert.equal(r.patient, 'PatientNo');
  assert.equal(r.columns[0].column, 'kvp');
  // --keep: the user says the column is a predictor
  const kept = byName(screenTable(rows, 'label', { keep: ['PatientNo'] }).columns).PatientNo;
  assert.equal(kept.kind, 'numeric');
  assert.ok(kept.flags.includes('kept') && kept.auc! > 0.99);
});

test('a diagnosis code that encodes the outcome (blank for negatives) is leakage, listed apart', () => {
  const codes = Array.from({ length: 60 }, (_, i) => `M${(10 + i).toString()}.${i % 10}`);
  const rows = patients(13, 5000).map(({ abnormal, rng }) => ({
    label: abnormal ? 'abnormal' : 'normal',
    dx_code: abnormal ? (rng.bool(0.99) ? rng.pick(codes) : '') : rng.bool(0.01) ? rng.pick(codes) : '',
    // 800 codes unrelated to the outcome: plain V grows with the levels, the bias-corrected one must not
    noise_code: `Z${rng.int(0, 799)}`,
    view: rng.bool(abnormal ? 0.55 : 0.45) ? 'AP' : 'LAT',
  }));
  const r = screenTable(rows, 'label');
  const by = byName(r.columns);
  assert.equal(r.positive, 'abnormal');
  assert.ok(by.dx_code.flags.includes('leakage'), `dx_code ${JSON.stringify(by.dx_code)}`);
  assert.ok(by.dx_code.effect! > 0.9);
  assert.ok(by.dx_code.advice.startsWith('leakage'));
  assert.ok(!by.noise_code.flags.includes('leakage'));
  const plain = chiSquareIndependence(
    rows.map((x) => x.noise_code),
    rows.map((x) => x.label),
  ).cramersV;
  assert.ok(plain > 0.35 && by.noise_code.effect! < 0.12, `noise_code V ${by.noise_code.effect}, plain V ${plain}`);
  assert.ok(by.noise_code.p! > 1e-3);
  assert.equal(by.noise_code.kind, 'categorical');
  // confounders first, then leakage
  const order = r.columns.map((c) => c.column);
  assert.ok(order.indexOf('view') < order.indexOf('dx_code'));
  assert.equal(order[0], 'view');
});
