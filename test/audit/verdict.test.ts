import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedRankGreater, verdictOf, DEFAULT_RULE } from '../../src/audit/verdict.js';
import { gate, reaches, verdictInResults } from '../../src/audit/gate.js';
import { decodeNpy, parseJsonWeights, weightRow } from '../../src/audit/cam-weights.js';
import { encodeNpy } from '../../src/explain/npy.js';
import type { CounterfactualResult } from '../../src/explain/counterfactual.js';
import { Rng } from '../../src/util/rng.js';

test('signed-rank test matches R wilcox.test(alternative = "greater", exact = FALSE, correct = TRUE)', () => {
  // R 4.x: wilcox.test(c(0.5,-0.2,0.9,0.3,0.3,-0.1,0.7,1.2,0,0.4,-0.3,0.8), ...) -> V = 59, p = 0.0115516969009
  const a = signedRankGreater([0.5, -0.2, 0.9, 0.3, 0.3, -0.1, 0.7, 1.2, 0, 0.4, -0.3, 0.8]);
  assert.equal(a.n, 11);
  assert.equal(a.w_plus, 59);
  assert.ok(Math.abs(a.p - 0.0115516969009) < 1e-9, String(a.p));
  // wilcox.test(1:10, ...) -> p = 0.00296076851207
  assert.ok(Math.abs(signedRankGreater([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).p - 0.00296076851207) < 1e-9);
  assert.equal(signedRankGreater([0, 0]).p, 1);
});

type Image = CounterfactualResult['images'][number];

function result(images: Image[]): CounterfactualResult {
  const n = images.length;
  const eff = (k: 'p_covered' | 'p_random_cover') => ({
    mean_abs_delta: images.reduce((s, im) => s + Math.abs(im[k] - im.p_original), 0) / n,
    mean_delta: images.reduce((s, im) => s + im[k] - im.p_original, 0) / n,
    flip_rate: images.filter((im) => im[k] > 0.5 !== im.p_original > 0.5).length / n,
  });
  return {
    n,
    covered: eff('p_covered'),
    random_cover: eff('p_random_cover'),
    control: 'location',
    no_room: [],
    images,
  };
}

/** Covering moves p by about `cov` and the control by about `ctl` (random directions, half-normal sizes). */
function spread(n: number, cov: number, ctl: number, seed: number, lo = 0.05, hi = 0.95): CounterfactualResult {
  const rng = new Rng(seed);
  const k = Math.sqrt(Math.PI / 2);
  return result(
    Array.from({ length: n }, (_, i) => {
      const p = lo + (hi - lo) * rng.next();
      const move = (sd: number) => Math.min(0.999, Math.max(0.001, p + rng.normal(0, sd * k)));
      return { id: `i${i}`, p_original: p, p_covered: move(cov), p_random_cover: move(ctl) };
    }),
  );
}

test('verdict, issue case 1: a model trained on covered images, covered |dp| 0.015 vs control 0.013, is none', () => {
  const cf = spread(200, 0.015, 0.013, 11);
  assert.ok(
    Math.abs(cf.covered.mean_abs_delta - 0.015) < 0.002 && Math.abs(cf.random_cover.mean_abs_delta - 0.013) < 0.002,
  );
  const v = verdictOf(cf);
  assert.equal(v.reliance, 'none');
  assert.ok(v.conclusive, v.summary);
  assert.ok(v.ci[1] < DEFAULT_RULE.negligible, v.summary);
});

test('verdict, issue case 2: a labels-only model with outputs near 0.5, covered |dp| 0.014 vs control 0.003, is detected', () => {
  // Its answers are 0.5 +- 0.014 by the label it reads; covered, they fall back to 0.5.
  const rng = new Rng(12);
  const cf = result(
    Array.from({ length: 60 }, (_, i) => {
      const p = 0.5 + (i % 2 ? 0.014 : -0.014) + rng.normal(0, 0.002);
      return {
        id: `i${i}`,
        p_original: p,
        p_covered: 0.5 + rng.normal(0, 0.002),
        p_random_cover: p + rng.normal(0, 0.0037),
      };
    }),
  );
  assert.ok(
    Math.abs(cf.covered.mean_abs_delta - 0.014) < 0.002 && Math.abs(cf.random_cover.mean_abs_delta - 0.003) < 0.001,
  );
  const v = verdictOf(cf);
  assert.notEqual(v.reliance, 'none', v.summary);
  assert.ok(v.ci[0] > DEFAULT_RULE.negligible && v.conclusive);
});

test('verdict: strong, weak and none follow the documented rule', () => {
  assert.equal(verdictOf(spread(40, 0.3, 0, 1)).reliance, 'strong');
  const weak = verdictOf(spread(400, 0.06, 0.03, 2));
  assert.equal(weak.reliance, 'weak', weak.summary);
  assert.ok(weak.net_effect < DEFAULT_RULE.strong && weak.ci[0] > DEFAULT_RULE.negligible);
  // Large but equal to the control: covering the labels is no different from covering anything else.
  const same = verdictOf(spread(200, 0.2, 0.2, 3));
  assert.equal(same.reliance, 'none');
  // Too few images: none, and said to be not conclusive.
  const few = verdictOf(spread(DEFAULT_RULE.min_images - 1, 0.3, 0, 5));
  assert.equal(few.reliance, 'none');
  assert.equal(few.conclusive, false);
  assert.ok(few.evidence.some((e) => /not conclusive/.test(e)) && /not conclusive/.test(few.summary));
  // The thresholds are parameters and stored with the verdict.
  const strict = verdictOf(spread(40, 0.3, 0, 1), { ...DEFAULT_RULE, strong: 100 });
  assert.equal(strict.reliance, 'weak');
  assert.equal(strict.rule.strong, 100);
  assert.equal(strict.rule.name, 'net-logit-effect/1');
});

test('verdict: the net effect does not depend on how confident the model is (logits scaled by any factor)', () => {
  const base = spread(80, 0.05, 0.01, 7);
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const lg = (p: number) => Math.log(p / (1 - p));
  // Up to the clip: |logit| stays below 13.8 (p within 1e-6 of 0 or 1) for these factors.
  for (const k of [0.05, 0.3, 1.8]) {
    const scaled = result(
      base.images.map((im) => ({
        id: im.id,
        p_original: sig(k * lg(im.p_original)),
        p_covered: sig(k * lg(im.p_covered)),
        p_random_cover: sig(k * lg(im.p_random_cover)),
      })),
    );
    const a = verdictOf(base),
      b = verdictOf(scaled);
    assert.ok(Math.abs(a.net_effect - b.net_effect) < 1e-9, `${k}: ${a.net_effect} vs ${b.net_effect}`);
    assert.deepEqual([b.reliance, b.ci.map((x) => x.toFixed(9))], [a.reliance, a.ci.map((x) => x.toFixed(9))]);
  }
});

test('gate: --fail-on exits 3 with the reason when the verdict reaches it; the study verdict is read from results.json', () => {
  const v = verdictOf(spread(40, 0.3, 0, 1));
  assert.deepEqual([gate(v, 'weak').code, gate(v, 'strong').code, gate(v, undefined).code], [3, 3, 0]);
  assert.match(
    gate(v, 'strong').line,
    /^FAIL \(--fail-on strong\): reliance on labels strong: covering the labels moved/,
  );
  const none = verdictOf(spread(200, 0.015, 0.013, 11));
  assert.deepEqual([gate(none, 'weak').code, gate(none, 'strong').code], [0, 0]);
  assert.match(gate(none, 'weak').line, /^pass \(--fail-on weak\): reliance on labels none:/);
  assert.ok(reaches('weak', 'weak') && !reaches('weak', 'strong'));
  assert.throws(() => reaches('weak', 'srong' as 'strong'), /did you mean "strong"/);
  assert.equal(verdictInResults({ counterfactual: { verdict: v } }, 'r.json').reliance, 'strong');
  assert.throws(
    () => verdictInResults({ counterfactual: { mean_abs_delta: 0.1 } }, 'study/results.json'),
    /study\/results\.json: no counterfactual\.verdict/,
  );
});

test('CAM weights: .npy (float32) and JSON, one row or one per class', () => {
  const npy = encodeNpy(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
  const w = decodeNpy(npy, 'w.npy');
  assert.deepEqual([w.rows, w.cols, ...weightRow(w, 1, 'w.npy')], [2, 3, 4, 5, 6]);
  assert.throws(() => weightRow(w, 2, 'w.npy'), /w\.npy: no weight row 2/);
  assert.throws(() => decodeNpy(Buffer.from('nonsense!!!!'), 'bad.npy'), /bad\.npy: not a \.npy file/);
  assert.deepEqual([...weightRow(parseJsonWeights({ weights: [0.5, -1] }, 'w.json'), 0, 'w.json')], [0.5, -1]);
  assert.throws(() => parseJsonWeights([[1, 2], [3]], 'w.json'), /w\.json: CAM weights must be/);
});
