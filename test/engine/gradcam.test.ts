import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model, featureSize } from '../../src/engine/index.js';
import { GradCam } from '../../src/explain/cam.js';
import { byName, randomBatch } from './helpers.js';

test('densenet121 Grad-CAM at the default layer equals the analytic CAM ReLU(sum_k w_k A_k) / (H W)', async () => {
  // logit = w . mean_hw(A) + b, so d logit / dA_k = w_k / (H W) everywhere and Grad-CAM's channel weights are w_k / (H W).
  using model = await Model.create({ arch: 'densenet121', seed: 21, threads: 2 });
  const { images, shape } = randomBatch('cam', 2, 64);
  const cap = await model.capture(images, shape);
  const cams = new GradCam().compute(cap);
  const state = byName(await model.getState());
  const w = state.get('classifier.weight')!.data as Float32Array;
  const b = (state.get('classifier.bias')!.data as Float32Array)[0];
  const side = featureSize('densenet121', 64);
  assert.deepEqual([cap.n, cap.c, cap.h, cap.w], [2, 1024, side, side]);
  assert.deepEqual([cams.n, cams.h, cams.w], [2, side, side]);
  const plane = cap.h * cap.w;
  const probabilities = await model.predict(images, shape);
  for (let i = 0; i < cap.n; i++) {
    const analytic = new Float64Array(plane);
    let logit = b;
    for (let k = 0; k < cap.c; k++) {
      for (let p = 0; p < plane; p++) {
        const a = cap.activations[(i * cap.c + k) * plane + p];
        analytic[p] += (w[k] * a) / plane;
        logit += (w[k] * a) / plane;
        assert.ok(a >= 0, 'the default layer is after the final ReLU');
        assert.ok(Math.abs(cap.gradients[(i * cap.c + k) * plane + p] - w[k] / plane) < 1e-7);
      }
    }
    assert.ok(Math.abs(cap.logits[i] - logit) < 1e-4 * Math.max(1, Math.abs(logit)));
    assert.ok(Math.abs(probabilities[i] - 1 / (1 + Math.exp(-cap.logits[i]))) < 1e-5);
    const scale = Math.max(...analytic.map((v) => Math.abs(v)));
    for (let p = 0; p < plane; p++) {
      const expected = Math.max(0, analytic[p]);
      assert.ok(
        Math.abs(cams.maps[i * plane + p] - expected) <= 1e-4 * scale,
        `map ${i},${p}: ${cams.maps[i * plane + p]} vs ${expected}`,
      );
    }
  }
});

test('capture reaches intermediate layers by torchvision name at their resolution', async () => {
  using model = await Model.create({ arch: 'densenet-tiny', seed: 2, threads: 2 });
  const { images, shape } = randomBatch('layers', 3, 32);
  assert.deepEqual(model.layers, [
    'features',
    'features.conv0',
    'features.norm0',
    'features.relu0',
    'features.pool0',
    'features.denseblock1',
    'features.transition1',
    'features.denseblock2',
    'features.norm5',
  ]);
  const block = await model.capture(images, shape, 'features.denseblock1');
  assert.deepEqual([block.n, block.c, block.h, block.w], [3, 16, 8, 8]); // 8 + 2 layers * growth 4 at 32/4
  const norm5 = await model.capture(images, shape, 'features.norm5');
  const final = await model.capture(images, shape);
  assert.ok(
    norm5.activations.some((v) => v < 0),
    'norm5 is before the ReLU',
  );
  assert.deepEqual(
    final.activations,
    norm5.activations.map((v) => Math.max(0, v)),
  );
  assert.deepEqual(final.logits, norm5.logits);
  // Gradients flow only where the ReLU is open.
  norm5.gradients.forEach((g, j) => {
    if (norm5.activations[j] < 0) assert.equal(g, 0);
  });
});
