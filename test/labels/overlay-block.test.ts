import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addOverlayText, loadDetectorModel, type DetectedBox } from '../../src/labels/detect/detector.js';
import { prepare } from '../../src/labels/detect/candidates.js';
import { findOverlayText } from '../../src/labels/detect/overlay.js';
import type { GrayImage } from '../../src/data/image.js';
import { Rng } from '../../src/util/index.js';

const model = loadDetectorModel();

/**
 * A seeded-noise film: black air on the right, a ground near `ground` on the left holding two stacked lines of
 * full-white "O" glyphs (16 x 24, 3-px strokes).
 */
function film(seed: number, ground: number, ring = false): GrayImage {
  const W = 400,
    H = 300,
    rng = new Rng(seed);
  const data = new Float32Array(W * H);
  for (let i = 0; i < data.length; i++) data[i] = i % W >= 250 ? 0.02 * rng.next() : ground + 0.04 * rng.next();
  const rect = (x: number, y: number, w: number, h: number) => {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) data[yy * W + xx] = 1;
  };
  const glyph = (x: number, y: number, w = 16, h = 24) => {
    rect(x, y, w, 3);
    rect(x, y + h - 3, w, 3);
    rect(x, y, 3, h);
    rect(x + w - 3, y, 3, h);
  };
  for (let i = 0; i < 5; i++) glyph(60 + 22 * i, 60);
  for (let i = 0; i < 3; i++) glyph(60 + 22 * i, 96);
  // a ring around the first glyph of the second line: a ringed marker stacked under a line of type
  if (ring) glyph(54, 90, 28, 36);
  return { width: W, height: H, data, bits: 8 };
}

/** What the learned stages might have boxed: the first line's left half, and the second line's first glyph. */
const pieces = (file: string): DetectedBox[] => [
  { file, x: 58, y: 58, w: 60, h: 28, category: 'technologist', score: 0.9, categoryScore: 1 },
  { file, x: 58, y: 94, w: 20, h: 28, category: 'laterality', score: 0.9, categoryScore: 1 },
];

const run = (image: GrayImage) =>
  addOverlayText(pieces('f'), findOverlayText(image), prepare(image), image, 'f', model, model.minScore);

test('a block of white type the learned stages cut into pieces is boxed whole, over the pieces', () => {
  for (const seed of [1, 2, 3]) {
    const out = run(film(seed, 0.15));
    assert.equal(out.length, 1, `seed ${seed}: ${JSON.stringify(out)}`);
    const b = out[0];
    assert.equal(b.category, 'other');
    // the block holds both lines, glyphs 60..164 x 60..120
    assert.ok(b.x <= 60 && b.y <= 60 && b.x + b.w >= 164 && b.y + b.h >= 120, JSON.stringify(b));
  }
});

test('a faint block (an imaged plate, not overlay text) or one holding a ring leaves the pieces alone', () => {
  for (const seed of [1, 2, 3]) {
    // white type on a ground near 0.45 (the image's range is 0 to 1): contrast about 0.55, under MIN_BLOCK_CONTRAST
    const out = run(film(seed, 0.45));
    assert.ok(out.filter((b) => b.category !== 'other').length === 2, `seed ${seed}: ${JSON.stringify(out)}`);
    const ringed = run(film(seed, 0.15, true));
    assert.equal(ringed.filter((b) => b.x === 58).length, 2, `seed ${seed}: ${JSON.stringify(ringed)}`);
  }
});
