import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addOverlayText,
  loadDetectorModel,
  MIN_LONE_CONTRAST,
  MIN_LONE_CONTRAST_REAL,
  minLoneContrast,
} from '../../src/labels/detect/detector.js';
import { prepare } from '../../src/labels/detect/candidates.js';
import type { OverlayBlock } from '../../src/labels/detect/overlay.js';
import type { GrayImage } from '../../src/data/image.js';

const model = loadDetectorModel();

/** A grey film of side `side` with one white L (12 x 19) at (40, 20). */
function film(side: number): GrayImage {
  const data = new Float32Array(side * side).fill(0.3);
  for (let y = 20; y < 39; y++) for (let x = 40; x < 43; x++) data[y * side + x] = 1;
  for (let y = 36; y < 39; y++) for (let x = 40; x < 52; x++) data[y * side + x] = 1;
  return { width: side, height: side, data, bits: 8 };
}

const lone = (contrast: number): OverlayBlock => {
  const g = { x: 39, y: 19, w: 14, h: 21 };
  return { ...g, glyphs: 1, contrast, glyphBoxes: [g] };
};

test('a lone glyph of middling contrast is a marker on a real-sized film, not on a phantom-sized one', () => {
  assert.equal(minLoneContrast(256, 256), MIN_LONE_CONTRAST);
  assert.equal(minLoneContrast(635, 650), MIN_LONE_CONTRAST_REAL);
  const c = (MIN_LONE_CONTRAST + MIN_LONE_CONTRAST_REAL) / 2;
  for (const [side, found] of [
    [256, 0],
    [640, 1],
  ] as const) {
    const image = film(side);
    const out = addOverlayText([], [lone(c)], prepare(image), image, 'f', model, model.minScore);
    assert.equal(out.length, found, `side ${side}`);
    if (found) assert.equal(out[0].category, 'laterality');
  }
});
