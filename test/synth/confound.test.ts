import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelsOnlyAuc, resolveOptions, sampleMetadata, truthRows, CONFOUND_ON } from '../../src/synth/index.js';

// Metadata only (no pixels), so large samples are cheap and the AUCs are stable.
const rowsFor = (o: Parameters<typeof resolveOptions>[0]) =>
  truthRows(sampleMetadata(resolveOptions({ studies: 8000, ...o })));

test('defaults: the ideal labels-only classifier reaches about the paper AUC (0.64) on test and more on train', () => {
  for (const seed of [1, 2]) {
    const rows = rowsFor({ seed });
    const test = labelsOnlyAuc(rows, 'test');
    assert.ok(test >= 0.58 && test <= 0.7, `test labels-only AUC ${test}`);
    assert.ok(labelsOnlyAuc(rows, 'train') > test + 0.08, 'train confound not stronger than test');
  }
});

test('--confound 0 makes labels uninformative (AUC about 0.5)', () => {
  const rows = rowsFor({ seed: 3, confound: 0, testConfound: 0 });
  const a = labelsOnlyAuc(rows, 'test');
  assert.ok(Math.abs(a - 0.5) < 0.05, `labels-only AUC ${a}`);
});

test('--confound-on puts the signal only on the chosen category', () => {
  for (const mode of CONFOUND_ON) {
    const rows = rowsFor({ seed: 4, confoundOn: mode });
    const only = (col: 'technologist' | 'marker_style') =>
      labelsOnlyAuc(
        rows.map((r) => ({ ...r, [col === 'technologist' ? 'marker_style' : 'technologist']: '-' })),
        'train',
      );
    const tech = only('technologist'),
      marker = only('marker_style');
    if (mode !== 'laterality') assert.ok(tech > 0.6, `${mode}: technologist AUC ${tech}`);
    else assert.ok(Math.abs(tech - 0.5) < 0.05, `${mode}: technologist AUC ${tech}`);
    if (mode !== 'technologist') assert.ok(marker > 0.6, `${mode}: marker AUC ${marker}`);
    else assert.ok(Math.abs(marker - 0.5) < 0.05, `${mode}: marker AUC ${marker}`);
  }
});

test('laterality confound: framed markers (box, circle) lean normal, unframed ones (plain, tab) abnormal', () => {
  const meta = sampleMetadata(resolveOptions({ studies: 4000, seed: 6 }));
  const rate = (style: string) => {
    const st = meta.studies.filter((s) => s.split === 'train' && s.markerStyle === style);
    return st.filter((s) => s.abnormal).length / st.length;
  };
  const [box, circle, plain, tab] = ['box', 'circle', 'plain', 'tab'].map(rate);
  assert.ok(
    box < circle && circle < 0.4 && plain > 0.4 && plain < tab,
    `abnormal rates box ${box} circle ${circle} plain ${plain} tab ${tab}`,
  );
});

test('splits are by patient (70/10/20) and share no patient', () => {
  const rows = rowsFor({ seed: 5, studies: 3000 });
  const splitOf = new Map<string, string>();
  for (const r of rows) {
    assert.equal(splitOf.get(r.patient) ?? r.split, r.split, `${r.patient} in two splits`);
    splitOf.set(r.patient, r.split);
  }
  const share = (s: string) => [...splitOf.values()].filter((v) => v === s).length / splitOf.size;
  assert.ok(Math.abs(share('train') - 0.7) < 0.02 && Math.abs(share('test') - 0.2) < 0.02);
});

test('invalid options are rejected with the option name', () => {
  assert.throws(() => resolveOptions({ confound: 1.5 }), /confound/);
  assert.throws(() => resolveOptions({ confoundOn: 'technologst' as never }), /did you mean "technologist"/);
  assert.throws(() => resolveOptions({ bits: 12 as never }), /bits/);
  assert.throws(() => resolveOptions({ studies: 0 }), /studies/);
});
