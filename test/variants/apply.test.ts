import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyVariant, randomCoverBoxes, pixelRect, rectsOverlap, rectMask } from '../../src/variants/index.js';
import type { LabelBox } from '../../src/labels/types.js';
import type { GrayImage } from '../../src/data/image.js';
import { Rng } from '../../src/util/rng.js';

function noise(w: number, h: number, seed: number): GrayImage {
  const r = new Rng(seed);
  const data = new Float32Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = 0.05 + 0.9 * r.next();
  return { width: w, height: h, data, bits: 16 };
}

function randomBoxes(rng: Rng, w: number, h: number, n: number): LabelBox[] {
  return Array.from({ length: n }, () => {
    const bw = rng.uniform(3, 20),
      bh = rng.uniform(3, 15);
    return {
      file: 'x.png',
      x: rng.uniform(-2, w - bw),
      y: rng.uniform(-2, h - bh),
      w: bw,
      h: bh,
      category: 'laterality' as const,
    };
  });
}

test('cover zeroes every pixel inside the boxes (plus margin) and leaves every other pixel unchanged', () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 20; trial++) {
    const img = noise(97, 73, trial);
    const boxes = randomBoxes(rng, 97, 73, rng.int(0, 4));
    const margin = rng.int(0, 3);
    const out = applyVariant(img, boxes, 'cover', { margin });
    const inside = rectMask(
      boxes.map((b) => pixelRect(b, margin, 97, 73)),
      97,
      73,
    );
    for (let i = 0; i < img.data.length; i++) {
      if (inside[i]) assert.equal(out.data[i], 0);
      else assert.equal(out.data[i], img.data[i]);
    }
    // A box edge pixel with margin 0: the pixel containing the box's corner is covered.
    for (const b of boxes) {
      const x = Math.max(0, Math.floor(b.x)),
        y = Math.max(0, Math.floor(b.y));
      assert.equal(out.data[y * 97 + x], 0);
    }
  }
});

test('labels-only keeps exactly the box pixels (plus margin); no boxes gives an all-black image', () => {
  const rng = new Rng(12);
  for (let trial = 0; trial < 20; trial++) {
    const img = noise(64, 80, 100 + trial);
    const boxes = randomBoxes(rng, 64, 80, rng.int(1, 4));
    const margin = rng.int(0, 3);
    const out = applyVariant(img, boxes, 'labels-only', { margin });
    const inside = rectMask(
      boxes.map((b) => pixelRect(b, margin, 64, 80)),
      64,
      80,
    );
    for (let i = 0; i < img.data.length; i++) assert.equal(out.data[i], inside[i] ? img.data[i] : 0);
  }
  const blank = applyVariant(noise(10, 10, 1), [], 'labels-only');
  assert.ok(blank.data.every((v) => v === 0));
});

test('the input image is never modified', () => {
  const img = noise(30, 30, 5);
  const copy = Float32Array.from(img.data);
  const boxes: LabelBox[] = [{ file: 'x', x: 2, y: 2, w: 5, h: 5, category: 'other' }];
  for (const mode of ['cover', 'labels-only', 'random-cover'] as const)
    applyVariant(img, boxes, mode, { rng: new Rng(1), fill: 'mean' });
  assert.deepEqual(img.data, copy);
});

test('random-cover: same count and sizes, inside the image, never overlapping a label box plus margin; seeded', () => {
  const rng = new Rng(13);
  for (let trial = 0; trial < 50; trial++) {
    const W = rng.int(60, 200),
      H = rng.int(60, 200);
    const boxes = randomBoxes(rng, W, H, rng.int(1, 5));
    const margin = rng.int(0, 4);
    const placed = randomCoverBoxes(boxes, W, H, new Rng(trial), margin);
    assert.deepEqual(placed, randomCoverBoxes(boxes, W, H, new Rng(trial), margin));
    assert.equal(placed.length, boxes.length);
    placed.forEach((p, i) => {
      assert.equal(p.w, boxes[i].w);
      assert.equal(p.h, boxes[i].h);
      assert.ok(p.x >= 0 && p.y >= 0 && p.x + p.w <= W && p.y + p.h <= H, 'inside the image');
      const pr = pixelRect(p, margin, W, H);
      for (const b of boxes)
        assert.ok(!rectsOverlap(pr, pixelRect(b, margin, W, H)), `trial ${trial}: overlaps a label`);
    });
  }
});

test('random-cover image: label pixels unchanged, same number of black boxes elsewhere', () => {
  const img = noise(120, 90, 9);
  const boxes: LabelBox[] = [
    { file: 'x', x: 5, y: 5, w: 10, h: 8, category: 'laterality' },
    { file: 'x', x: 90, y: 70, w: 20, h: 10, category: 'technologist' },
  ];
  const out = applyVariant(img, boxes, 'random-cover', { rng: new Rng(3), margin: 2 });
  const labels = rectMask(
    boxes.map((b) => pixelRect(b, 2, 120, 90)),
    120,
    90,
  );
  let zeros = 0;
  for (let i = 0; i < img.data.length; i++) {
    if (labels[i]) assert.equal(out.data[i], img.data[i]);
    if (out.data[i] === 0) zeros++;
  }
  assert.equal(zeros, (10 + 4) * (8 + 4) + (20 + 4) * (10 + 4));
  assert.throws(() => applyVariant(img, boxes, 'random-cover'), /needs opts.rng/);
});

test('fill=mean uses the surrounding background level, not black', () => {
  const data = new Float32Array(50 * 50).fill(0.6);
  for (let y = 20; y < 26; y++) for (let x = 20; x < 26; x++) data[y * 50 + x] = 1; // the "label"
  const out = applyVariant(
    { width: 50, height: 50, data, bits: 8 },
    [{ file: 'x', x: 20, y: 20, w: 6, h: 6, category: 'laterality' }],
    'cover',
    { fill: 'mean' },
  );
  for (let y = 20; y < 26; y++) for (let x = 20; x < 26; x++) assert.ok(Math.abs(out.data[y * 50 + x] - 0.6) < 1e-6);
});
