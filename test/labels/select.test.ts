import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectKth, twoOrderStats } from '../../src/labels/detect/select.js';
import { Rng } from '../../src/util/index.js';

test('order statistics equal a full numeric sort at every rank tried, and leave the values as they were', () => {
  const rng = new Rng(7);
  // uniform, 8-bit levels (many ties), one value dominating, and a skewed spread (most values in one histogram bin)
  const kinds = [
    () => rng.next(),
    () => Math.round(rng.next() * 255) / 255,
    () => (rng.next() < 0.9 ? 0.5 : rng.next()),
    () => rng.next() ** 12,
  ];
  for (let t = 0; t < 400; t++) {
    const n = 1 + Math.floor(rng.next() * 2000);
    const values = Float32Array.from({ length: n }, kinds[t % kinds.length]);
    const before = Float32Array.from(values);
    const sorted = Float32Array.from(values).sort();
    const k1 = Math.floor(rng.next() * n),
      k2 = k1 + Math.floor(rng.next() * (n - k1));
    assert.deepEqual(twoOrderStats(values, k1, k2), [sorted[k1], sorted[k2]], `case ${t}: ranks ${k1}, ${k2} of ${n}`);
    assert.deepEqual(values, before);
    assert.equal(selectKth(Float32Array.from(values), k2), sorted[k2]);
  }
  assert.deepEqual(twoOrderStats(Float32Array.of(3, 3, 3), 0, 2), [3, 3]);
});
