import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GrayImage } from '../../src/data/image.js';
import { extendLines, lineGlyphs, MAX_EDGE_GAP, MAX_GAP, MAX_LINE_SHARE } from '../../src/labels/detect/line-extend.js';
import { REAL_FILM_SIDE } from '../../src/labels/detect/working.js';

const W = 600,
  H = 60;

function film(ground = 0.1, width = W): GrayImage {
  return { width, height: H, data: new Float32Array(width * H).fill(ground), bits: 8 };
}

/** An "H" 6 wide and `h` high at (x, y), at `level`, clipped to the film. */
function drawH(img: GrayImage, x: number, y: number, h: number, level = 1): void {
  for (let yy = y; yy < y + h; yy++)
    for (let xx = x; xx < x + 6; xx++) {
      if (yy < 0 || yy >= H) continue;
      const bar = xx - x < 2 || xx - x >= 4 || Math.abs(yy - (y + h / 2)) < 1;
      if (bar) img.data[yy * img.width + xx] = level;
    }
}

/** A line of H glyphs from x0 with `gap` pixels between them. */
function line(img: GrayImage, x0: number, n: number, y: number, h: number, gap = 4, level = 1): void {
  for (let i = 0; i < n; i++) drawH(img, x0 + i * (6 + gap), y, h, level);
}

const box = { x: 20, y: 20, w: 16, h: 10 };

test('a line runs on past its box: the glyphs beyond it are found, and boxed once on the line’s rows', () => {
  const img = film();
  line(img, 20, 6, 20, 10);
  const gs = lineGlyphs(img, box);
  assert.equal(gs.length, 4);
  const out = extendLines([box], img, (r) => r);
  assert.equal(out.length, 2);
  assert.deepEqual(out[1], { x: 40, y: 20, w: 36, h: 10 });
  // nothing left to add once they are covered
  assert.equal(extendLines(out, img, (r) => r).length, 2);
});

test('one glyph beside a box is not a line (MIN_CHAIN)', () => {
  const img = film();
  line(img, 20, 3, 20, 10);
  assert.deepEqual(lineGlyphs(img, box), []);
});

test('glyphs below the box’s white level are not its type (PEAK_DROP)', () => {
  const img = film();
  line(img, 20, 2, 20, 10);
  line(img, 40, 4, 20, 10, 4, 0.6);
  assert.deepEqual(lineGlyphs(img, box), []);
});

test('a bar running out of the line’s strip is not a glyph, and the walk stops at a gap over MAX_GAP heights', () => {
  const img = film();
  line(img, 20, 2, 20, 10);
  drawH(img, 40, 5, 40);
  drawH(img, 50, 20, 10);
  assert.deepEqual(lineGlyphs(img, box), []);
  const img2 = film();
  line(img2, 20, 2, 20, 10);
  line(img2, 36 + Math.ceil(MAX_GAP * 10) + 1, 3, 20, 10);
  assert.deepEqual(lineGlyphs(img2, box), []);
});

test('along a line cut by the top edge, short cut glyphs count and word spaces may be wider (MAX_EDGE_GAP)', () => {
  const gap = Math.floor(((MAX_GAP + MAX_EDGE_GAP) / 2) * 10);
  const img = film();
  line(img, 20, 2, -4, 14);
  // two words of type cut to 4 px, beyond a word space wider than MAX_GAP heights
  line(img, 36 + gap, 2, -10, 14);
  const cutBox = { x: 20, y: 0, w: 16, h: 10 };
  const gs = lineGlyphs(img, cutBox);
  // each cut H is two bars (its crossbar is above the edge)
  assert.equal(gs.length, 4);
  assert.ok(gs.every((g) => g.x >= 36 + gap && g.y === 0 && g.h === 4));
  // the same glyphs away from the edge are too short and too far
  const img2 = film();
  line(img2, 20, 2, 26, 14);
  line(img2, 36 + gap, 2, 30, 4);
  assert.deepEqual(lineGlyphs(img2, { x: 20, y: 30, w: 16, h: 10 }), []);
});

test('films under REAL_FILM_SIDE (the phantom’s) are left as the learned stages boxed them', () => {
  const small = film(0.1, REAL_FILM_SIDE - 1);
  line(small, 20, 6, 20, 10);
  assert.equal(lineGlyphs(small, box).length, 4);
  assert.equal(extendLines([box], small, (r) => r).length, 1);
});

test('a box taller than MAX_LINE_SHARE of the film (a marker plate, not a line of type) is not walked', () => {
  const tall = Math.ceil(MAX_LINE_SHARE * W) + 2;
  const img = film();
  line(img, 20, 6, 5, tall - 10, 4);
  assert.equal(lineGlyphs(img, { x: 20, y: 5, w: 16, h: tall - 10 }).length, 4);
  assert.deepEqual(lineGlyphs(img, { x: 20, y: 0, w: 16, h: tall }), []);
});
