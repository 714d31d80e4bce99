import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelAttention, upsample, boxMask } from '../../src/explain/attention.js';
import { summariseAttention } from '../../src/explain/summary.js';

test('label attention is the share of positive mass inside the boxes; pointing game follows the maximum', () => {
  const W = 10,
    H = 10;
  const cam = new Float32Array(W * H).fill(1);
  cam[2 * W + 2] = 10; // inside the box below
  const r = labelAttention(cam, W, H, [{ x: 0, y: 0, w: 5, h: 5 }]);
  // inside: 24 ones + 10 = 34; total: 99 + 10 = 109
  assert.ok(Math.abs(r.labelAttention - 34 / 109) < 1e-9);
  assert.equal(r.pointingHit, true);
  assert.ok(Math.abs(r.boxAreaShare - 0.25) < 1e-12);
  cam[9 * W + 9] = 20;
  assert.equal(labelAttention(cam, W, H, [{ x: 0, y: 0, w: 5, h: 5 }]).pointingHit, false);
});

test('an all-zero map has undefined attention and no pointing hit', () => {
  const r = labelAttention(new Float32Array(16), 4, 4, [{ x: 0, y: 0, w: 2, h: 2 }]);
  assert.ok(Number.isNaN(r.labelAttention));
  assert.equal(r.pointingHit, false);
});

test('boxes are clipped to the image', () => {
  const m = boxMask([{ x: -3, y: 8, w: 5, h: 10 }], 10, 10);
  assert.equal(
    m.reduce((a, b) => a + b, 0),
    2 * 2,
  );
});

test('upsampling a constant map stays constant and keeps the mass proportional', () => {
  const up = upsample(new Float32Array(4).fill(3), 2, 2, 8, 8);
  assert.ok(up.every((v) => Math.abs(v - 3) < 1e-6));
  const ramp = upsample(Float32Array.from([0, 1, 2, 3]), 1, 4, 1, 8);
  for (let i = 1; i < 8; i++) assert.ok(ramp[i] >= ramp[i - 1]);
});

test('summary bootstraps a CI that contains the mean, and skips images without boxes', () => {
  const per = Array.from({ length: 40 }, (_, i) => ({
    id: String(i),
    n_boxes: i % 4 === 0 ? 0 : 1,
    label_attention: (i % 7) / 10,
    pointing_hit: i % 2 === 0,
    box_area_share: 0.05,
    by_category: { laterality: (i % 3) / 10 },
  }));
  const s = summariseAttention(per, 1);
  assert.equal(s.n, 30);
  assert.ok(s.label_attention_ci[0] <= s.label_attention && s.label_attention <= s.label_attention_ci[1]);
  assert.ok(Math.abs(s.chance - 0.05) < 1e-12);
  assert.deepEqual(summariseAttention(per, 1), s);
});

test('summary of images none of which can be measured is empty, not an error', () => {
  const s = summariseAttention([
    { id: 'a', n_boxes: 0, label_attention: NaN, pointing_hit: false, box_area_share: 0, by_category: {} },
  ]);
  assert.equal(s.n, 0);
  assert.ok(Number.isNaN(s.label_attention));
});
