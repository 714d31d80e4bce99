import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/engine/index.js';
import { emptyFilmActivations, relativeToBaseline } from '../../src/explain/baseline.js';
import { Rng } from '../../src/util/rng.js';
import { GradCam, GradientTimesActivation } from '../../src/explain/cam.js';

test('relative to an empty film, the Grad-CAM sum over positions is exactly the logit change from that film', async () => {
  using model = await Model.create({ arch: 'densenet-tiny', channels: 1, seed: 4, threads: 1 });
  const S = 32,
    mean = 0,
    std = 0.25;
  const rng = new Rng(9);
  const n = 3;
  const images = Float32Array.from({ length: n * S * S }, () => (rng.next() < 0.2 ? rng.uniform(0, 1) : 0) / std);
  const cap = await model.capture(images, { n, height: S, width: S });
  const empty = emptyFilmActivations(model, S, mean, std);
  const emptyLogit = (await model.capture(new Float32Array(S * S), { n: 1, height: S, width: S })).logits[0];
  const rel = relativeToBaseline(cap, await empty);
  const plane = cap.h * cap.w;
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let k = 0; k < cap.c; k++) {
      const base = (i * cap.c + k) * plane;
      let g = 0;
      for (let p = 0; p < plane; p++) g += rel.gradients[base + p];
      let a = 0;
      for (let p = 0; p < plane; p++) a += rel.activations[base + p];
      total += (g / plane) * a;
    }
    const change = cap.logits[i] - emptyLogit;
    assert.ok(
      Math.abs(total - change) < 1e-4 * Math.max(1, Math.abs(change)),
      `image ${i}: map sum ${total} vs logit change ${change}`,
    );
  }
  // Blank film itself gets an all-zero map.
  const blank = await model.capture(new Float32Array(S * S), { n: 1, height: S, width: S });
  assert.ok(relativeToBaseline(blank, await empty).activations.every((v) => Math.abs(v) < 1e-6));
});

test('gradient x activation: equals Grad-CAM at the final layer, and at an inner layer follows per-position gradients', async () => {
  using model = await Model.create({ arch: 'densenet-tiny', channels: 1, seed: 5, threads: 1 });
  const S = 32,
    std = 0.25,
    n = 2;
  const rng = new Rng(3);
  const images = Float32Array.from({ length: n * S * S }, () => (rng.next() < 0.3 ? rng.uniform(0, 1) : 0) / std);
  const empty = await emptyFilmActivations(model, S, 0, std);
  const rel = relativeToBaseline(await model.capture(images, { n, height: S, width: S }), empty);
  for (const target of ['abnormal', 'normal', 'predicted'] as const) {
    const a = new GradCam().compute(rel, target).maps,
      b = new GradientTimesActivation().compute(rel, target).maps;
    for (let j = 0; j < a.length; j++)
      assert.ok(Math.abs(a[j] - b[j]) < 1e-5 * Math.max(1, Math.abs(a[j])), `${target} [${j}]: ${a[j]} vs ${b[j]}`);
  }
  // Inner layer: the map is ReLU(sum_k g_kp A_kp) position by position, recomputed here independently.
  const inner = await model.capture(images, { n, height: S, width: S }, 'features.denseblock1');
  const maps = new GradientTimesActivation().compute(inner, 'abnormal').maps;
  const plane = inner.h * inner.w;
  assert.ok(plane > 1);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < plane; p++) {
      let s = 0;
      for (let k = 0; k < inner.c; k++) {
        const j = (i * inner.c + k) * plane + p;
        s += inner.gradients[j] * inner.activations[j];
      }
      assert.ok(Math.abs(maps[i * plane + p] - Math.max(0, s)) < 1e-5 * Math.max(1, Math.abs(s)));
    }
});
