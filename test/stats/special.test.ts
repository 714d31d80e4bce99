import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chiSquareUpperP,
  gammaP,
  gammaQ,
  logGamma,
  normalCdf,
  normalQuantile,
  normalTwoSidedP,
} from '../../src/stats/index.js';
import { loadFixture, near, nearRel } from './fixtures.js';

const fx = loadFixture<{
  pnorm: { z: number; p: number }[];
  qnorm: { p: number; z: number }[];
  pchisq_upper: { x: number; df: number; p: number }[];
  lgamma: { x: number; value: number }[];
}>('distributions.json');

test('normal CDF matches R pnorm, including far tails (relative 1e-9)', () => {
  for (const { z, p } of fx.pnorm) nearRel(normalCdf(z), p, 1e-12, 1e-9, `pnorm(${z})`);
});

test('normal quantile matches R qnorm and inverts the CDF', () => {
  for (const { p, z } of fx.qnorm) {
    near(normalQuantile(p), z, 1e-9, `qnorm(${p})`);
    nearRel(normalCdf(normalQuantile(p)), p, 1e-15, 1e-9, `pnorm(qnorm(${p}))`);
  }
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.throws(() => normalQuantile(1.2), /0 <= p <= 1/);
});

test('chi-square upper tail matches R pchisq(lower.tail = FALSE)', () => {
  for (const { x, df, p } of fx.pchisq_upper) nearRel(chiSquareUpperP(x, df), p, 1e-12, 1e-9, `pchisq(${x}, ${df})`);
  assert.equal(chiSquareUpperP(0, 3), 1);
});

test('log-gamma matches R lgamma', () => {
  for (const { x, value } of fx.lgamma)
    nearRel(logGamma(x), value, 1e-12 * Math.max(1, Math.abs(value)), 1e-12, `lgamma(${x})`);
  assert.throws(() => logGamma(0), /x > 0/);
});

test('incomplete gamma: P + Q = 1 and two-sided normal p equals 2 Phi(-|z|)', () => {
  for (const a of [0.5, 1, 3.5, 20])
    for (const x of [0.01, 1, 4, 30]) near(gammaP(a, x) + gammaQ(a, x), 1, 1e-14, `a=${a} x=${x}`);
  near(gammaP(1, 2), 1 - Math.exp(-2), 1e-15, 'P(1, x) = 1 - e^-x');
  for (const z of [0, 0.7, -2.2, 5]) nearRel(normalTwoSidedP(z), 2 * normalCdf(-Math.abs(z)), 1e-15, 1e-12, `z=${z}`);
  assert.equal(normalTwoSidedP(Infinity), 0);
});
