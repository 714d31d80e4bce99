import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrayImage } from '../../src/data/index.js';
import { isFlatCover } from '../../src/labels/detect/flat-cover.js';

// A 96 x 96 film of 8-bit noise (values repeat, as in any 8-bit image) with one thing drawn at (30, 30) 30 x 20,
// and the detector's box around it with a 6-pixel margin.
function film(draw: (x: number, y: number) => number | undefined): GrayImage {
  const data = new Float32Array(96 * 96);
  let s = 5;
  for (let y = 0; y < 96; y++)
    for (let x = 0; x < 96; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      data[y * 96 + x] = draw(x, y) ?? Math.round(100 + ((s >>> 16) % 40)) / 255;
    }
  return { width: 96, height: 96, data, bits: 8 };
}
const inPlate = (x: number, y: number) => x >= 30 && x < 60 && y >= 30 && y < 50;
const box = { x: 24, y: 24, w: 42, h: 32 };

test('a solid one-value rectangle (a cover) inside the box: flat, not a label', () => {
  assert.equal(
    isFlatCover(
      film((x, y) => (inPlate(x, y) ? 0 : undefined)),
      box,
    ),
    true,
  );
  assert.equal(
    isFlatCover(
      film((x, y) => (inPlate(x, y) ? 0.5 : undefined)),
      box,
    ),
    true,
    'a mean-filled cover',
  );
});

test('a one-value plate with a glyph punched in it (a tab marker) is a label', () => {
  // An "L": a vertical and a horizontal stroke of the tissue's noise, left in the white plate.
  const glyph = (x: number, y: number) =>
    (x >= 38 && x < 41 && y >= 34 && y < 46) || (x >= 38 && x < 48 && y >= 43 && y < 46);
  assert.equal(
    isFlatCover(
      film((x, y) => (inPlate(x, y) && !glyph(x, y) ? 1 : undefined)),
      box,
    ),
    false,
  );
});

test('a marker in saturated air (one value reaching past the box) is a label; so is noise alone', () => {
  const air = (x: number, y: number) => (x < 70 && !(x >= 40 && x < 44 && y >= 32 && y < 48) ? 0 : undefined);
  assert.equal(isFlatCover(film(air), box), false);
  assert.equal(
    isFlatCover(
      film(() => undefined),
      box,
    ),
    false,
  );
});
