import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attributeEffect, MIN_EFFECT } from '../../src/study/attribution.js';

const effect = (covered: number, control: number) => ({
  covered: { mean_abs_delta: covered, flip_rate: 0 },
  random_cover: { mean_abs_delta: control, flip_rate: 0 },
});

test('the category whose cover alone reproduces most of the net effect is named', () => {
  const a = attributeEffect(effect(0.12, 0.02), { laterality: effect(0.03, 0.02), technologist: effect(0.1, 0.02) });
  assert.ok(Math.abs(a.all_net_mean_abs_delta - 0.1) < 1e-12);
  assert.ok(Math.abs(a.categories.technologist.share_of_effect! - 0.8) < 1e-12);
  assert.ok(Math.abs(a.categories.laterality.share_of_effect! - 0.1) < 1e-12);
  assert.deepEqual(a.attributed_to, ['technologist']);
});

test('both categories are named, larger share first, when each alone reproduces half or more', () => {
  const a = attributeEffect(effect(0.1, 0), { laterality: effect(0.07, 0), technologist: effect(0.05, 0) });
  assert.deepEqual(a.attributed_to, ['laterality', 'technologist']);
});

test('no label effect: nothing is attributed and shares are null', () => {
  const a = attributeEffect(effect(0.02, 0.02 - MIN_EFFECT / 2), {
    laterality: effect(0.02, 0.02),
    technologist: effect(0.02, 0.02),
  });
  assert.deepEqual(a.attributed_to, []);
  assert.equal(a.categories.laterality.share_of_effect, null);
});

test('per-category arm shares are carried next to the counterfactual shares', () => {
  const a = attributeEffect(effect(0.1, 0), { technologist: effect(0.09, 0) }, { technologist: 0.7 });
  assert.equal(a.categories.technologist.share_of_covered_auc_gain, 0.7);
});
