import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawLabel, FONT_NAMES } from '../../src/synth/index.js';
import { Rng } from '../../src/util/index.js';
import { loadDetectorModel } from '../../src/labels/detect/detector.js';
import { cropImage } from '../../src/labels/detect/glyph.js';
import { innerPart, readBox, readCrop } from '../../src/labels/detect/reader.js';
import type { Raster } from '../../src/labels/detect/morph.js';

const SIDE = 96;

/**
 * A marker letter boxed with a band of brighter film along one side of its box (bone, a plate's edge, the film
 * outside a black disc): the band, not the letter, is the crop's largest bright part.
 */
function bandedMarker(
  seed: number,
  letter: string,
): { img: Raster; box: { x: number; y: number; w: number; h: number } } {
  const rng = new Rng(`reader-inner:${seed}:${letter}`);
  const c = SIDE / 2,
    height = rng.uniform(16, 28);
  const d = drawLabel(
    { category: 'laterality', text: letter, font: rng.pick(FONT_NAMES), style: 'plain', height },
    SIDE,
    c,
    c,
    rng.normal(0, 0.05),
    rng,
    rng.uniform(0.3, 0.8),
  );
  const half = height * rng.uniform(0.85, 1),
    band = half * rng.uniform(0.4, 0.6);
  const bg = rng.uniform(0.02, 0.15),
    ink = rng.uniform(0.55, 0.75),
    film = rng.uniform(0.9, 1);
  const side = rng.int(0, 3);
  const img = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      // distance inwards from the box's edge on the band's side
      const inwards = [x - (c - half), c + half - x, y - (c - half), c + half - y][side];
      let v = inwards < band ? film : bg;
      const lx = x - d.x0,
        ly = y - d.y0;
      if (lx >= 0 && ly >= 0 && lx < d.w && ly < d.h) v += (ink - v) * d.stroke[ly * d.w + lx];
      img[y * SIDE + x] = v + rng.normal(0, 0.01);
    }
  // the band runs on past the box, as film does
  return { img: { width: SIDE, height: SIDE, data: img }, box: { x: c - half, y: c - half, w: 2 * half, h: 2 * half } };
}

test('the inner part of a crop is its largest bright part clear of the edge, none when it fills the crop', () => {
  const w = 20,
    h = 20,
    data = new Float32Array(w * h);
  const fill = (x0: number, y0: number, x1: number, y1: number) => {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * w + x] = 1;
  };
  fill(0, 0, 19, 2); // a bright strip along the top edge, the largest part
  fill(6, 8, 12, 16); // the letter
  fill(15, 15, 16, 16); // a speck
  const p = innerPart({ width: w, height: h, data });
  assert.deepEqual(p && [p.x0, p.y0, p.x1, p.y1], [6, 8, 12, 16]);
  data.fill(0);
  fill(1, 1, 18, 18);
  assert.equal(innerPart({ width: w, height: h, data }), undefined);
});

test('an R or a D boxed with a band of brighter film reads right from its inner part, not from the band', (t) => {
  const model = loadDetectorModel();
  let right = 0,
    wholeRight = 0,
    n = 0;
  for (let seed = 0; seed < 8; seed++)
    // letters with a bowl, which the band (a bar, read as an I or an L) lacks
    for (const letter of ['R', 'D']) {
      const { img, box } = bandedMarker(seed, letter);
      n++;
      if (readBox(model, img, box, 1).side === 'R') right++;
      if (readCrop(model, cropImage(img, box, 1)).side === 'R') wholeRight++;
    }
  t.diagnostic(`read right ${right}/${n}, the whole crop alone ${wholeRight}/${n}`);
  assert.ok(right >= 0.8 * n, `${right} of ${n} read right`);
  // the rule matters here: the whole crop alone reads the band
  assert.ok(wholeRight <= n / 2, `the whole crop alone read ${wholeRight} of ${n} right`);
});
