import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rawToGray, releaseGray } from '../../src/data/image.js';
import { closeLabelPool, labelComponents, openLabelPool } from '../../src/labels/detect/components.js';
import { downsampleMinMax, type Raster } from '../../src/labels/detect/morph.js';

function noise(w: number, h: number, seed: number, lo = 0): Raster {
  const data = new Float32Array(w * h);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = lo + ((s >>> 8) / 2 ** 24) * (1 - lo);
  }
  return { width: w, height: h, data };
}

/** Block max and min by plain comparisons. */
function naive(r: Raster, f: number): { max: Float32Array; min: Float32Array } {
  const w = Math.floor(r.width / f),
    h = Math.floor(r.height / f);
  const max = new Float32Array(w * h),
    min = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let m = -Infinity,
        n = Infinity;
      for (let dy = 0; dy < f; dy++)
        for (let dx = 0; dx < f; dx++) {
          const v = r.data[(y * f + dy) * r.width + x * f + dx];
          m = Math.max(m, v);
          n = Math.min(n, v);
        }
      max[y * w + x] = m;
      min[y * w + x] = n;
    }
  return { max, min };
}

test('block max/min on the values bits equal plain comparisons, for any factor and with negative values', () => {
  for (const f of [2, 3, 4, 7])
    for (const lo of [0, -0.5]) {
      const r = noise(61, 45, 7 * f + (lo < 0 ? 1 : 0), lo);
      r.data[5] = 0; // exact zeros and ties
      r.data[6] = 0;
      const got = downsampleMinMax(r, f),
        want = naive(r, f);
      assert.deepEqual(got.max.data, want.max, `max f=${f} lo=${lo}`);
      assert.deepEqual(got.min.data, want.min, `min f=${f} lo=${lo}`);
    }
});

test('labelling with pooled rasters gives what fresh rasters give, image after image', () => {
  const masks = [noise(40, 30, 3), noise(40, 30, 4), noise(33, 20, 5)].map((r) => {
    const m = new Uint8Array(r.data.length);
    for (let i = 0; i < m.length; i++) m[i] = r.data[i] > 0.55 ? 1 : 0;
    return { m, r };
  });
  const fresh = masks.map(({ m, r }) => labelComponents(m, r.width, r.height, r.data, r.data));
  for (let round = 0; round < 2; round++)
    for (let k = 0; k < masks.length; k++) {
      const { m, r } = masks[k];
      assert.equal(openLabelPool(), true);
      assert.equal(openLabelPool(), false, 'a pool already open is not opened again');
      const got = labelComponents(m, r.width, r.height, r.data, r.data);
      assert.deepEqual(got.labels, fresh[k].labels);
      assert.deepEqual(
        got.components.map((c) => ({ ...c, labels: undefined })),
        fresh[k].components.map((c) => ({ ...c, labels: undefined })),
      );
      closeLabelPool();
    }
});

test('an image decoded into a released pixel store equals one decoded afresh', () => {
  const big = Buffer.alloc(50 * 40, 200),
    small = Buffer.from(Array.from({ length: 30 * 20 }, (_, i) => (i * 37) % 256));
  const want = rawToGray(small, 30, 20, false);
  releaseGray(rawToGray(big, 50, 40, false));
  const got = rawToGray(small, 30, 20, false);
  assert.equal(got.data.length, 30 * 20);
  assert.deepEqual(Array.from(got.data), Array.from(want.data));
  // a store that rawToGray did not make is not taken back
  releaseGray({ width: 30, height: 20, data: new Float32Array(600), bits: 8 });
});
