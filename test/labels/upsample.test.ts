import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrayImage } from '../../src/data/image.js';
import { sampleMetadata, resolveOptions, renderImage, renderSpecFor } from '../../src/synth/index.js';
import { detectLabels, loadDetectorModel } from '../../src/labels/detect/index.js';
import { shrinkBox } from '../../src/labels/detect/detector.js';
import { UPSAMPLE_BELOW, upsample, upsampleFactor } from '../../src/labels/detect/upsample.js';

test('films under UPSAMPLE_BELOW are enlarged by an integer factor to 512 px or more; the phantom’s 256 px are not', () => {
  assert.equal(upsampleFactor(224, 224), 3);
  assert.equal(upsampleFactor(100, 60), 6);
  assert.equal(upsampleFactor(256, 256), 1);
  assert.equal(upsampleFactor(200, UPSAMPLE_BELOW), 1);
  assert.equal(upsampleFactor(1440, 1420), 1);
});

test('upsample keeps a flat film flat and a step a step, at u times the size', () => {
  const img: GrayImage = { width: 4, height: 2, data: Float32Array.from([0, 0, 1, 1, 0, 0, 1, 1]), bits: 8 };
  const big = upsample(img, 3);
  assert.equal(big.width, 12);
  assert.equal(big.height, 6);
  for (let y = 0; y < 6; y++) {
    assert.ok(Math.abs(big.data[y * 12]) < 1e-6 && Math.abs(big.data[y * 12 + 11] - 1) < 1e-6);
    for (let x = 1; x < 12; x++) assert.ok(big.data[y * 12 + x] >= big.data[y * 12 + x - 1] - 1e-6);
  }
  assert.equal(upsample(img, 1), img);
});

test('a small film is detected enlarged, its boxes brought back to its own pixels', () => {
  const meta = sampleMetadata(resolveOptions({ studies: 1, seed: 731, size: 256 }));
  const study = meta.studies[0];
  const full = renderImage(renderSpecFor(study, study.images[0], 256, true)).image;
  const side = 224;
  const data = new Float32Array(side * side);
  for (let y = 0; y < side; y++) data.set(full.data.subarray(y * 256, y * 256 + side), y * side);
  const small: GrayImage = { width: side, height: side, data, bits: full.bits };
  const model = loadDetectorModel();
  const enlarged = detectLabels(upsample(small, 3), 'f', model).map((b) => shrinkBox(b, 3));
  assert.ok(enlarged.length > 0);
  assert.deepEqual(detectLabels(small, 'f', model), enlarged);
});
