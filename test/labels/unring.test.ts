import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawLabel, FONT_NAMES } from '../../src/synth/index.js';
import { Rng } from '../../src/util/index.js';
import { loadDetectorModel } from '../../src/labels/detect/detector.js';
import { cropImage } from '../../src/labels/detect/glyph.js';
import { readCrop } from '../../src/labels/detect/reader.js';
import { clearRing } from '../../src/labels/detect/unring.js';
import type { Raster } from '../../src/labels/detect/morph.js';

const SIDE = 96;

/** A letter in a thick ring, set off centre so that it touches the ring (as blur and a loose letter make it do). */
function touchingRing(
  seed: number,
  letter: string,
  ringed = true,
): { img: Raster; box: { x: number; y: number; w: number; h: number }; ring: Float32Array; ink: Float32Array } {
  const rng = new Rng(`unring:${seed}:${letter}`);
  const c = SIDE / 2,
    height = rng.uniform(12, 16);
  const ringR = height * rng.uniform(0.8, 0.9),
    ringW = height * rng.uniform(0.25, 0.32);
  // off centre towards the lower left, far enough that the letter's corner meets the ring
  const off = height * rng.uniform(0.12, 0.18);
  const d = drawLabel(
    { category: 'laterality', text: letter, font: rng.pick(FONT_NAMES), style: 'plain', height, strokeRatio: 0.3 },
    SIDE,
    c - off,
    c + off,
    rng.normal(0, 0.05),
    rng,
    rng.uniform(0.8, 1.4),
  );
  const bg = rng.uniform(0.02, 0.2),
    ink = rng.uniform(0.7, 1);
  const img = new Float32Array(SIDE * SIDE),
    ring = new Float32Array(SIDE * SIDE),
    inked = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const i = y * SIDE + x;
      ring[i] = ringed ? Math.min(1, Math.max(0, ringW / 2 + 0.5 - Math.abs(Math.hypot(x - c, y - c) - ringR))) : 0;
      const lx = x - d.x0,
        ly = y - d.y0;
      if (lx >= 0 && ly >= 0 && lx < d.w && ly < d.h) inked[i] = d.stroke[ly * d.w + lx];
      const s = Math.max(ring[i], inked[i]);
      img[i] = bg + (ink - bg) * s + rng.normal(0, 0.01);
    }
  const reach = ringR + ringW / 2 + 2;
  const box = {
    x: Math.round(c - reach),
    y: Math.round(c - reach),
    w: Math.round(2 * reach),
    h: Math.round(2 * reach),
  };
  return { img: { width: SIDE, height: SIDE, data: img }, box, ring, ink: inked };
}

test('no ring is cleared from a letter without one', () => {
  for (let seed = 0; seed < 6; seed++)
    for (const letter of ['L', 'R']) {
      const { img, box } = touchingRing(seed, letter, false);
      assert.equal(clearRing(cropImage(img, box, 1)), undefined, `${letter} seed ${seed}`);
    }
});

test('a ring that an L touches is cleared, and what is left reads L', (t) => {
  const model = loadDetectorModel();
  let clearedRight = 0,
    wholeRight = 0;
  for (let seed = 0; seed < 16; seed++) {
    const { img, box, ring, ink } = touchingRing(seed, 'L');
    const crop = cropImage(img, box, 1);
    const cleared = clearRing(crop);
    assert.ok(cleared, `seed ${seed}: a ring`);
    // the crop is the image at 1:1 from the box's corner (the box is whole pixels, under GLYPH_SIDE)
    let ringPx = 0,
      ringGone = 0,
      inkPx = 0,
      inkKept = 0;
    const dark = Math.min(...cleared.data);
    for (let y = 0; y < crop.height; y++)
      for (let x = 0; x < crop.width; x++) {
        const i = (box.y + y) * SIDE + box.x + x,
          v = cleared.data[y * crop.width + x];
        const bright = v > dark + 0.5 * (crop.data[y * crop.width + x] - dark) && v > dark + 0.2;
        if (ring[i] > 0.6 && ink[i] < 0.05) {
          ringPx++;
          if (!bright) ringGone++;
        }
        if (ink[i] > 0.6 && ring[i] < 0.05) {
          inkPx++;
          if (bright) inkKept++;
        }
      }
    assert.ok(ringGone >= 0.9 * ringPx, `seed ${seed}: ${ringGone} of ${ringPx} ring pixels cleared`);
    // where the L touches the ring, the ring's thickness of it goes too: the rest stays
    assert.ok(inkKept >= 0.2 * inkPx, `seed ${seed}: ${inkKept} of ${inkPx} letter pixels kept`);
    if (readCrop(model, cleared).side === 'L') clearedRight++;
    if (readCrop(model, crop).side === 'L') wholeRight++;
  }
  t.diagnostic(`read L with the ring cleared ${clearedRight}/16, without ${wholeRight}/16`);
  assert.ok(clearedRight >= 14, `${clearedRight} of 16 read L with the ring cleared`);
  // the touching ring is what misleads the reader: with it, half or more are not read L
  assert.ok(wholeRight <= 8, `${wholeRight} of 16 read L with the ring on`);
});
