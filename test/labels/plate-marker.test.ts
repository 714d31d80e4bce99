import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDetectorModel, type DetectedBox } from '../../src/labels/detect/detector.js';
import { addPlateMarkers, MIN_LARGER } from '../../src/labels/detect/plate-marker.js';
import { fineCopy } from '../../src/labels/detect/working.js';
import type { GrayImage } from '../../src/data/image.js';
import { Rng } from '../../src/util/index.js';

const model = loadDetectorModel();

/** A seeded-noise dark film with white shapes drawn by `draw(rect)`. */
function film(seed: number, draw: (rect: (x: number, y: number, w: number, h: number) => void) => void): GrayImage {
  const W = 320,
    H = 200,
    rng = new Rng(seed);
  const data = new Float32Array(W * H);
  for (let i = 0; i < data.length; i++) data[i] = 0.1 + 0.04 * rng.next();
  draw((x, y, w, h) => {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) data[yy * W + xx] = 0.95;
  });
  return { width: W, height: H, data, bits: 8 };
}

type Rect = (x: number, y: number, w: number, h: number) => void;
/** An "L" of `h` by `w` with strokes of `s`. */
const letterL = (rect: Rect, x: number, y: number, w: number, h: number, s: number) => {
  rect(x, y, s, h);
  rect(x, y + h - s, w, s);
};
/** A hollow box glyph (an "O") of `w` by `h`. */
const glyphO = (rect: Rect, x: number, y: number, w: number, h: number) => {
  rect(x, y, w, 3);
  rect(x, y + h - 3, w, 3);
  rect(x, y, 3, h);
  rect(x + w - 3, y, 3, h);
};

const textBox = (x: number, y: number, w: number, h: number): DetectedBox => ({
  file: 'f',
  x,
  y,
  w,
  h,
  category: 'technologist',
  score: 0.9,
  categoryScore: 1,
  text: '?',
});

const run = (image: GrayImage, boxes: DetectedBox[]) => {
  const { fine, fineFactor } = fineCopy(image);
  return addPlateMarkers(boxes, model, fine, fineFactor, image);
};

test('a marker letter of larger type than the initials beside it is boxed and read; the plate box stays', () => {
  for (const seed of [1, 2, 3]) {
    const image = film(seed, (rect) => {
      letterL(rect, 60, 50, 30, 48, 8);
      for (let i = 0; i < 3; i++) glyphO(rect, 110 + 20 * i, 78, 14, 20);
    });
    const out = run(image, [textBox(52, 42, 130, 64)]);
    assert.equal(out.length, 2, `seed ${seed}: ${JSON.stringify(out)}`);
    assert.equal(out[0].category, 'technologist');
    const m = out[1];
    assert.equal(m.category, 'laterality');
    assert.equal(m.text, 'L');
    // around the letter (60..90 x 50..98), not the initials
    assert.ok(m.x <= 62 && m.y <= 52 && m.x + m.w >= 88 && m.y + m.h >= 96 && m.x + m.w < 110, JSON.stringify(m));
  }
});

test('letters of one type, or a letter only taller than the one beside it (initials), make no marker', () => {
  for (const seed of [1, 2, 3]) {
    const same = film(seed, (rect) => {
      letterL(rect, 60, 50, 16, 24, 4);
      for (let i = 0; i < 3; i++) glyphO(rect, 84 + 22 * i, 50, 16, 24);
    });
    assert.equal(run(same, [textBox(52, 42, 130, 40)]).length, 1, `seed ${seed}: same type`);
    // taller by more than MIN_LARGER, but no wider: the phantom's "AS" and stacked "TH"
    const taller = film(seed, (rect) => {
      letterL(rect, 60, 50, 16, Math.ceil(24 * (MIN_LARGER + 0.2)), 4);
      glyphO(rect, 84, 64, 16, 24);
    });
    assert.equal(run(taller, [textBox(52, 42, 56, 50)]).length, 1, `seed ${seed}: taller only`);
  }
});

test('a large letter with only specks beside it is a word piece, not a plate', () => {
  for (const seed of [1, 2, 3]) {
    // the L's area is about 560 px and its height 48: a flat dash has area enough but too little height, a thin
    // sliver height enough but too little area (MIN_GLYPH_SHARE, MIN_GLYPH_HEIGHT)
    const dash = film(seed, (rect) => {
      letterL(rect, 60, 50, 30, 48, 8);
      rect(110, 92, 14, 5);
    });
    assert.equal(run(dash, [textBox(52, 42, 80, 64)]).length, 1, `seed ${seed}: dash`);
    const sliver = film(seed, (rect) => {
      letterL(rect, 60, 50, 30, 48, 8);
      rect(110, 80, 3, 16);
    });
    assert.equal(run(sliver, [textBox(52, 42, 80, 64)]).length, 1, `seed ${seed}: sliver`);
  }
});

test('a ringed letter beside type of its own height is the marker', () => {
  for (const seed of [1, 2, 3]) {
    const image = film(seed, (rect) => {
      glyphO(rect, 40, 40, 56, 56);
      letterL(rect, 56, 52, 24, 32, 6);
      for (let i = 0; i < 3; i++) glyphO(rect, 110 + 50 * i, 40, 44, 56);
    });
    const out = run(image, [textBox(34, 34, 260, 68)]);
    assert.equal(out.length, 2, `seed ${seed}: ${JSON.stringify(out)}`);
    const m = out[1];
    assert.equal(m.category, 'laterality');
    assert.equal(m.text, 'L');
    assert.ok(m.x <= 42 && m.y <= 42 && m.x + m.w >= 94 && m.x + m.w < 110, JSON.stringify(m));
  }
});

test('a ringed letter that fills its text box turns the box into the marker', () => {
  for (const seed of [1, 2, 3]) {
    const image = film(seed, (rect) => {
      glyphO(rect, 100, 40, 80, 80);
      letterL(rect, 124, 60, 28, 40, 7);
    });
    const out = run(image, [{ ...textBox(96, 36, 88, 88), category: 'other' }]);
    assert.equal(out.length, 1, `seed ${seed}: ${JSON.stringify(out)}`);
    assert.equal(out[0].category, 'laterality');
    assert.equal(out[0].text, 'L');
    assert.deepEqual([out[0].x, out[0].y, out[0].w, out[0].h], [96, 36, 88, 88]);
  }
});

test('laterality boxes are left as they are', () => {
  const image = film(1, (rect) => {
    letterL(rect, 60, 50, 30, 48, 8);
    for (let i = 0; i < 3; i++) glyphO(rect, 110 + 20 * i, 78, 14, 20);
  });
  const box = { ...textBox(52, 42, 130, 64), category: 'laterality' as const, text: 'R' };
  assert.deepEqual(run(image, [box]), [box]);
});
