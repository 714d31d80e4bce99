import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findGroundText, MIN_GROUND_GLYPHS } from '../../src/labels/detect/ground-text.js';
import type { GrayImage } from '../../src/data/image.js';
import { Rng } from '../../src/util/index.js';

interface Scene {
  glyphs: number;
  level: number;
  /** Level of the ground under and around the text (the rest of the film is near 0.05). */
  ground?: number;
  /** Share of the ground's pixels lifted to 0.6 (tissue-like texture). */
  specks?: number;
}

/**
 * A seeded-noise dark film with a full-white patch (the white level, far from the text) and a line of hollow grey
 * glyphs (16 x 24, 3-px strokes) at `level` on a ground near 0.05 or `ground`.
 */
function film(seed: number, s: Scene): GrayImage {
  const W = 400,
    H = 300,
    rng = new Rng(seed);
  const data = new Float32Array(W * H);
  for (let i = 0; i < data.length; i++) data[i] = 0.05 + 0.02 * rng.next();
  const rect = (x: number, y: number, w: number, h: number, v: number) => {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) data[yy * W + xx] = v;
  };
  rect(300, 200, 80, 80, 1);
  if (s.ground !== undefined)
    for (let y = 20; y < 140; y++) for (let x = 20; x < 260; x++) data[y * W + x] = s.ground + 0.02 * rng.next();
  if (s.specks)
    for (let y = 20; y < 140; y++) for (let x = 20; x < 260; x++) if (rng.next() < s.specks) data[y * W + x] = 0.6;
  for (let i = 0; i < s.glyphs; i++) {
    const x = 60 + 22 * i,
      y = 60;
    rect(x, y, 16, 3, s.level);
    rect(x, y + 21, 16, 3, s.level);
    rect(x, y, 3, 24, s.level);
    rect(x + 13, y, 3, 24, s.level);
  }
  return { width: W, height: H, data, bits: 8 };
}

test('a line of grey type on an even dark ground is found, with its glyphs', () => {
  for (const seed of [1, 2, 3]) {
    const found = findGroundText(film(seed, { glyphs: 4, level: 0.5 }));
    assert.equal(found.length, 1, `seed ${seed}: ${JSON.stringify(found)}`);
    const b = found[0];
    assert.equal(b.glyphs, 4);
    // the glyphs span 60..142 x 60..84
    assert.ok(b.x <= 60 && b.y <= 60 && b.x + b.w >= 142 && b.y + b.h >= 84 && b.x + b.w < 160, JSON.stringify(b));
  }
});

test('too few glyphs, a textured ground, or a ground almost as bright as the type: nothing', () => {
  for (const seed of [1, 2, 3]) {
    assert.deepEqual(findGroundText(film(seed, { glyphs: MIN_GROUND_GLYPHS - 1, level: 0.5 })), [], 'two glyphs');
    // one ground pixel in ten over the threshold: tissue, not an unexposed border (MAX_GROUND_SHARE)
    assert.deepEqual(findGroundText(film(seed, { glyphs: 4, level: 0.5, specks: 0.1 })), [], 'textured');
    // ground 0.3, type 0.5: under the threshold's ground share, but 0.2 of the range above it (MIN_GROUND_CONTRAST)
    assert.deepEqual(findGroundText(film(seed, { glyphs: 4, level: 0.5, ground: 0.3 })), [], 'grey ground');
  }
});
