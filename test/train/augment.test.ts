import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augmentInto } from '../../src/train/augment.js';
import { cosineRate, plateauStep, classWeights } from '../../src/train/schedule.js';
import { Rng } from '../../src/util/rng.js';

const S = 9;
const ramp = Float32Array.from({ length: S * S }, (_, i) => i % S);

test('no rotation and certain flip mirrors the image exactly', () => {
  const out = new Float32Array(S * S);
  augmentInto(ramp, S, new Rng(1), { flip: 1, maxRotation: 0 }, out);
  for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) assert.ok(Math.abs(out[y * S + x] - (S - 1 - x)) < 1e-5);
});

test('identity when neither flip nor rotation is allowed', () => {
  const out = new Float32Array(S * S);
  augmentInto(ramp, S, new Rng(1), { flip: 0, maxRotation: 0 }, out);
  assert.deepEqual(out, ramp);
});

test('a 90 degree rotation bound keeps the centre pixel and is repeatable for a seed', () => {
  const a = new Float32Array(S * S),
    b = new Float32Array(S * S);
  augmentInto(ramp, S, new Rng(7), { flip: 0.5, maxRotation: 90 }, a);
  augmentInto(ramp, S, new Rng(7), { flip: 0.5, maxRotation: 90 }, b);
  assert.deepEqual(a, b);
  const c = (S - 1) / 2;
  assert.ok(Math.abs(a[c * S + c] - ramp[c * S + c]) < 1e-5);
});

test('plateau divides the learning rate by 10 after `patience` bad epochs', () => {
  let s = { lr: 1e-3, best: Infinity, badEpochs: 0 };
  s = plateauStep(s, 1.0, 1);
  assert.equal(s.lr, 1e-3);
  s = plateauStep(s, 1.0, 1);
  assert.equal(s.lr, 1e-3);
  s = plateauStep(s, 1.1, 1);
  assert.ok(Math.abs(s.lr - 1e-4) < 1e-15);
  s = plateauStep(s, 0.5, 1);
  assert.equal(s.best, 0.5);
});

test('class weights balance the classes as MURA does, and one class only is an error', () => {
  const w = classWeights([1, 0, 0, 0]);
  assert.equal(w.pos, 0.75);
  assert.equal(w.neg, 0.25);
  assert.throws(() => classWeights([1, 1]), /both classes: got 2 abnormal and 0 normal/);
});

test('cosine schedule: the full rate at epoch 1, falling every epoch, above 0 at the last', () => {
  const rates = Array.from({ length: 10 }, (_, i) => cosineRate(2e-3, i + 1, 10));
  assert.equal(rates[0], 2e-3);
  for (let i = 1; i < rates.length; i++) assert.ok(rates[i] < rates[i - 1]);
  assert.ok(rates[9] > 0 && rates[9] < 0.05 * 2e-3);
  assert.ok(Math.abs(cosineRate(2e-3, 6, 10) - 1e-3) < 1e-12, 'half the rate half way');
});
