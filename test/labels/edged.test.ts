import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findEdgedText } from '../../src/labels/detect/edged.js';
import type { GrayImage } from '../../src/data/image.js';
import { Rng } from '../../src/util/index.js';

type Canvas = GrayImage & { rect: (x: number, y: number, w: number, h: number, v: number) => void };

/** A bright, smooth "film": a gradient with broad soft blobs and a little seeded noise, over a black border. */
function film(w: number, h: number, seed: number): Canvas {
  const rng = new Rng(seed),
    rnd = () => rng.next();
  const data = new Float32Array(w * h);
  const blobs = [0, 1, 2, 3].map(() => ({ x: rnd() * w, y: rnd() * h, r: 60 + rnd() * 120 }));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let v = 0.6 + 0.3 * (y / h);
      for (const b of blobs) v += 0.08 * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r * b.r));
      data[y * w + x] = Math.min(0.93, v + 0.02 * (rnd() - 0.5));
    }
  // the dark air beside the body, as on a film: full black, but far from anything white
  for (let y = 0; y < h; y++) for (let x = 0; x < 40; x++) data[y * w + x] = 0;
  const rect = (x: number, y: number, rw: number, rh: number, v: number) => {
    for (let yy = y; yy < y + rh; yy++) for (let xx = x; xx < x + rw; xx++) data[yy * w + xx] = v;
  };
  return { width: w, height: h, data, bits: 8, rect };
}

/** A hollow glyph (an "O"), `w` x `h` with strokes `s` wide, at value v. */
function glyph(c: Canvas, x: number, y: number, v: number, w = 16, h = 24, s = 3) {
  c.rect(x, y, w, s, v);
  c.rect(x, y + h - s, w, s, v);
  c.rect(x, y, s, h, v);
  c.rect(x + w - s, y, s, h, v);
}

/** A word of five 24 x 36 white glyphs, 32 px apart, with a black drop shadow 3 pixels down and right. */
function shadowedWord(c: Canvas, x: number, y: number) {
  for (let i = 0; i < 5; i++) glyph(c, x + 32 * i + 3, y + 3, 0, 24, 36, 6);
  for (let i = 0; i < 5; i++) glyph(c, x + 32 * i, y, 1, 24, 36, 6);
}

test('edged stage: white type with a black drop shadow on a bright ground is found', () => {
  const c = film(800, 600, 1);
  shadowedWord(c, 300, 500);
  const blocks = findEdgedText(c);
  assert.equal(blocks.length, 1);
  const b = blocks[0];
  assert.ok(b.glyphs >= 5 && !b.ring);
  // the block holds the word (x 300-452, y 500-536) and its shadow (3 px more), and no more than a margin of two
  // copy pixels (4 px) around them: one for the copy's rounding, one for the shadow's dilation
  assert.ok(b.x <= 300 && b.y <= 500 && b.x + b.w >= 452 && b.y + b.h >= 536);
  assert.ok(b.x >= 296 && b.y >= 496 && b.x + b.w <= 460 && b.y + b.h <= 545);
});

test('edged stage: a smooth bright film with full-black air gives nothing; neither does white type on grey', () => {
  for (const seed of [2, 3, 4]) assert.deepEqual(findEdgedText(film(800, 600, seed)), []);
  const c = film(800, 600, 5);
  for (let i = 0; i < 4; i++) glyph(c, 300 + 22 * i, 200, 1); // white type, no black edge: the overlay stage's case
  assert.deepEqual(findEdgedText(c), []);
});

test('edged stage: a shadowed word on a saturated ground, where only its shadow shows, is found', () => {
  const c = film(800, 600, 6);
  c.rect(200, 400, 400, 100, 1);
  shadowedWord(c, 300, 420);
  const blocks = findEdgedText(c);
  assert.equal(blocks.length, 1);
  assert.ok(blocks[0].glyphs >= 5);
  // the shadows' extent (x 303-455) and the copy's margin
  assert.ok(blocks[0].x <= 303 && blocks[0].x + blocks[0].w >= 455);
  assert.ok(blocks[0].x >= 296 && blocks[0].x + blocks[0].w <= 460);
});

/** A black disc with a thin white ring (60 px across) and a white letter-like glyph inside: a digital marker. */
function ringMarker(c: Canvas, cx: number, cy: number, withDisc: boolean) {
  for (let y = cy - 40; y <= cy + 40; y++)
    for (let x = cx - 40; x <= cx + 40; x++) {
      const r = Math.hypot(x - cx, y - cy);
      if (r >= 27 && r <= 30) c.data[y * c.width + x] = 1;
      else if (withDisc && r <= 33) c.data[y * c.width + x] = 0;
    }
  c.rect(cx - 8, cy - 12, 3, 24, 1);
  c.rect(cx - 8, cy - 12, 16, 3, 1);
  c.rect(cx - 8, cy + 9, 16, 3, 1);
  c.rect(cx + 5, cy - 12, 3, 24, 1);
}

test('edged stage: a letter in a white ring is one ring block, on a black disc or on bare tissue', () => {
  for (const withDisc of [true, false]) {
    const c = film(800, 600, 7);
    ringMarker(c, 400, 200, withDisc);
    const blocks = findEdgedText(c);
    assert.equal(blocks.length, 1, `disc ${withDisc}`);
    const b = blocks[0];
    assert.ok(b.ring);
    // the ring's box (or the disc's), and the copy's margin
    assert.ok(b.x <= 370 && b.y <= 170 && b.x + b.w >= 431 && b.y + b.h >= 231);
    assert.ok(b.x >= 362 && b.y >= 162 && b.x + b.w <= 439 && b.y + b.h <= 239);
  }
});

test('edged stage: the stacked marks of a drawn ruler (white scale, black edge) are not markers', () => {
  const c = film(800, 600, 8);
  for (let k = 0; k < 6; k++) {
    const y = 100 + 70 * k;
    c.rect(600, y, 4, 50, 1);
    c.rect(596, y, 4, 50, 0);
    c.rect(604, y + 24, 12, 3, 1);
  }
  assert.deepEqual(findEdgedText(c), []);
});
