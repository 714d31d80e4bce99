import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signedRankGreater, decideReliance } from '../../src/audit/verdict.js';
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

/** A cover-test result where covering moves p by `cov` and the control by `ctl` (plus noise) per image. */
function fakeResult(n: number, cov: number, ctl: number, noise: number, seed: number): CounterfactualResult {
  const rng = new Rng(seed);
  const images = Array.from({ length: n }, (_, i) => {
    const p = 0.3 + 0.4 * rng.next();
    return { id: `i${i}`, p_original: p, p_covered: p - cov + rng.normal(0, noise), p_random_cover: p - ctl + rng.normal(0, noise) };
  });
  const eff = (k: 'p_covered' | 'p_random_cover') => ({
    mean_abs_delta: images.reduce((s, im) => s + Math.abs(im[k] - im.p_original), 0) / n,
    mean_delta: images.reduce((s, im) => s + im[k] - im.p_original, 0) / n,
    flip_rate: images.filter((im) => (im[k] > 0.5) !== (im.p_original > 0.5)).length / n,
  });
  return { n, covered: eff('p_covered'), random_cover: eff('p_random_cover'), images };
}

test('verdict: strong, weak and none follow the documented rule', () => {
  assert.equal(decideReliance(fakeResult(40, 0.3, 0, 0.01, 1)).reliance, 'strong');
  assert.equal(decideReliance(fakeResult(40, 0.03, 0.005, 0.005, 2)).reliance, 'weak');
  // Large but equal to the control: covering the labels is no different from covering anything else.
  assert.equal(decideReliance(fakeResult(40, 0.2, 0.2, 0.02, 3)).reliance, 'none');
  // Significant but below min_effect.
  assert.equal(decideReliance(fakeResult(60, 0.004, 0, 0.0005, 4)).reliance, 'none');
  // Too few images for significance, however large the effect.
  const few = decideReliance(fakeResult(4, 0.5, 0, 0.01, 5));
  assert.equal(few.reliance, 'none');
  assert.ok(few.evidence.some((e) => /too few/.test(e)));
  // The thresholds are parameters: a stricter ratio turns strong into weak.
  assert.equal(decideReliance(fakeResult(40, 0.3, 0.05, 0.01, 6), { alpha: 0.05, strong_ratio: 10, strong_effect: 0.05, min_effect: 0.01, control_floor: 0.005 }).reliance, 'weak');
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
