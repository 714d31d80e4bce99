import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GradCam, GradCamPlusPlus, type LayerCapture } from '../../src/explain/cam.js';
import { Rng } from '../../src/util/rng.js';

function randomCapture(seed: number, n = 2, c = 5, h = 3, w = 4): LayerCapture {
  const rng = new Rng(seed);
  const size = n * c * h * w;
  return {
    activations: Float32Array.from({ length: size }, () => Math.max(0, rng.normal())),
    gradients: Float32Array.from({ length: size }, () => rng.normal()),
    n,
    c,
    h,
    w,
  };
}

test('Grad-CAM equals ReLU(sum_k mean(g_k) A_k), computed independently', () => {
  const cap = randomCapture(3);
  const { maps } = new GradCam().compute(cap);
  const plane = cap.h * cap.w;
  for (let i = 0; i < cap.n; i++) {
    for (let p = 0; p < plane; p++) {
      let s = 0;
      for (let k = 0; k < cap.c; k++) {
        const base = (i * cap.c + k) * plane;
        const g = cap.gradients.slice(base, base + plane).reduce((a, b) => a + b, 0) / plane;
        s += g * cap.activations[base + p];
      }
      assert.ok(Math.abs(maps[i * plane + p] - Math.max(0, s)) < 1e-5);
    }
  }
});

test('Grad-CAM++ with a constant positive gradient weights channels equally by their gradient', () => {
  // With g constant per channel, alpha = g^2 / (2 g^2 + sumA g^3) at every position and the weight is
  // plane * alpha * g; check against that closed form.
  const n = 1,
    c = 3,
    h = 2,
    w = 2,
    plane = 4;
  const acts = Float32Array.from({ length: c * plane }, (_, i) => (i % 5) + 1);
  const gvals = [0.5, 1, 2];
  const grads = Float32Array.from({ length: c * plane }, (_, i) => gvals[Math.floor(i / plane)]);
  const { maps } = new GradCamPlusPlus().compute({ activations: acts, gradients: grads, n, c, h, w });
  for (let p = 0; p < plane; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) {
      const g = gvals[k];
      const sumA = acts.slice(k * plane, (k + 1) * plane).reduce((a, b) => a + b, 0);
      s += plane * ((g * g) / (2 * g * g + sumA * g ** 3)) * g * acts[k * plane + p];
    }
    assert.ok(Math.abs(maps[p] - s) < 1e-5, `${maps[p]} vs ${s}`);
  }
});

test('negative evidence is clipped: a map from negative weights is all zero', () => {
  const cap = randomCapture(5, 1, 2, 2, 2);
  cap.gradients.fill(-1);
  const { maps } = new GradCam().compute(cap);
  assert.ok(maps.every((v) => v === 0));
});

test("the normal class is the abnormal logit negated, and the predicted target follows each image's logit", () => {
  const cap = randomCapture(7, 2);
  const flipped: LayerCapture = { ...cap, gradients: cap.gradients.map((g) => -g) };
  const normal = new GradCam().compute(cap, 'normal').maps;
  assert.deepEqual(normal, new GradCam().compute(flipped, 'abnormal').maps);
  const plane = cap.h * cap.w;
  const abnormal = new GradCam().compute(cap, 'abnormal').maps;
  const predicted = new GradCam().compute({ ...cap, logits: Float32Array.from([0.7, -1.2]) }, 'predicted').maps;
  assert.deepEqual(predicted.subarray(0, plane), abnormal.subarray(0, plane));
  assert.deepEqual(predicted.subarray(plane), normal.subarray(plane));
  assert.throws(() => new GradCam().compute(cap, 'predicted'), /logits/);
});
