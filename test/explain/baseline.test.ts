import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/engine/index.js';
import { emptyFilmActivations, relativeToBaseline } from '../../src/explain/baseline.js';
import { Rng } from '../../src/util/rng.js';

test('relative to an empty film, the Grad-CAM sum over positions is exactly the logit change from that film', async () => {
  using model = await Model.create({ arch: 'densenet-tiny', channels: 1, seed: 4, threads: 1 });
  const S = 32, mean = 0, std = 0.25;
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
    assert.ok(Math.abs(total - change) < 1e-4 * Math.max(1, Math.abs(change)), `image ${i}: map sum ${total} vs logit change ${change}`);
  }
  // Blank film itself gets an all-zero map.
  const blank = await model.capture(new Float32Array(S * S), { n: 1, height: S, width: S });
  assert.ok(relativeToBaseline(blank, await empty).activations.every((v) => Math.abs(v) < 1e-6));
});
