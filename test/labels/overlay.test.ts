import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aligned, findOverlayText, groupGlyphRects } from '../../src/labels/detect/overlay.js';
import type { GrayImage } from '../../src/data/image.js';

/** A dark image with a soft gradient, and helpers to draw white strokes. */
function canvas(
  w: number,
  h: number,
): GrayImage & { rect: (x: number, y: number, rw: number, rh: number, v?: number) => void } {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = 0.1 + 0.3 * (x / w);
  const rect = (x: number, y: number, rw: number, rh: number, v = 1) => {
    for (let yy = y; yy < y + rh; yy++) for (let xx = x; xx < x + rw; xx++) data[yy * w + xx] = v;
  };
  return { width: w, height: h, data, rect } as GrayImage & { rect: typeof rect };
}

/** An "O"-like glyph: a hollow 12 x 16 box with 2-pixel strokes. */
const glyph = (c: ReturnType<typeof canvas>, x: number, y: number) => {
  c.rect(x, y, 12, 2);
  c.rect(x, y + 14, 12, 2);
  c.rect(x, y, 2, 16);
  c.rect(x + 10, y, 2, 16);
};

test('overlay stage: a line of white glyphs is one block; a bright blob and a wire are not type', () => {
  const c = canvas(400, 300);
  for (let i = 0; i < 5; i++) glyph(c, 40 + 16 * i, 40);
  c.rect(250, 200, 30, 30); // a filled blob (a screw head): strokes as wide as it
  c.rect(100, 150, 200, 2); // a wire
  const blocks = findOverlayText(c);
  assert.equal(blocks.length, 1);
  const b = blocks[0];
  assert.equal(b.glyphs, 5);
  // the block holds the line (a copy pixel's margin around it, no more)
  assert.ok(b.x <= 40 && b.y <= 40 && b.x + b.w >= 40 + 16 * 4 + 12 && b.y + b.h >= 56);
  assert.ok(b.x >= 38 && b.y >= 38 && b.x + b.w <= 40 + 16 * 4 + 14 && b.y + b.h <= 58);
  assert.ok(b.contrast > 0.9);
});

test('overlay stage: two stacked lines of type make one block; a lone glyph stays a block of its own', () => {
  const c = canvas(400, 300);
  for (let i = 0; i < 4; i++) glyph(c, 40 + 16 * i, 40);
  for (let i = 0; i < 2; i++) glyph(c, 40 + 16 * i, 64);
  glyph(c, 200, 40);
  const blocks = findOverlayText(c).sort((a, b) => a.x - b.x);
  assert.deepEqual(
    blocks.map((b) => b.glyphs),
    [6, 1],
  );
});

test('aligned: type shares a top or bottom line, specks do not; the image edge is no line', () => {
  const box = (x0: number, y0: number, h: number) => ({ x0, y0, x1: x0 + 8, y1: y0 + h - 1 });
  assert.equal(aligned([box(0, 10, 12), box(10, 10, 12), box(20, 13, 9)]), true); // a lower-case letter: same bottom
  assert.equal(aligned([box(0, 10, 12), box(10, 16, 12), box(20, 4, 12), box(30, 12, 7)]), false);
  // all cut by the bottom edge at 39: only their tops count, and they scatter
  assert.equal(aligned([box(0, 30, 10), box(10, 24, 16), box(20, 33, 7)], 40), false);
  assert.equal(aligned([box(0, 30, 10), box(10, 24, 16), box(20, 33, 7)]), true);
});

test('groupGlyphRects regroups glyph boxes into lines and blocks', () => {
  const rs = [0, 1, 2].map((i) => ({ x: 10 + 14 * i, y: 10, w: 10, h: 14 })).concat([{ x: 200, y: 200, w: 10, h: 14 }]);
  const g = groupGlyphRects(rs).sort((a, b) => a.box.x - b.box.x);
  assert.deepEqual(g, [
    { box: { x: 10, y: 10, w: 38, h: 14 }, glyphs: 3 },
    { box: { x: 200, y: 200, w: 10, h: 14 }, glyphs: 1 },
  ]);
});

test("overlay stage: a film's noisy white border beside the dark exposure is not a row of type (phantom 902)", async () => {
  const { sampleMetadata, resolveOptions, renderImage, renderSpecFor } = await import('../../src/synth/index.js');
  const meta = sampleMetadata(resolveOptions({ studies: 60, seed: 902, bits: 16 }));
  const files = [
    'train/XR_WRIST/patient00041/study1_positive/image3.png',
    'train/XR_FOREARM/patient00035/study2_negative/image4.png',
  ];
  for (const file of files) {
    const study = meta.studies.find((s) => s.images.some((i) => i.path === file))!;
    const spec = study.images.find((i) => i.path === file)!;
    const { image } = renderImage(renderSpecFor(study, spec, 256));
    const blocks = findOverlayText(image);
    // the labels (a marker and its plate) are still found; nothing along the top edge
    assert.ok(blocks.length > 0, file);
    assert.deepEqual(
      blocks.filter((b) => b.y <= 1),
      [],
      `${file}: ${JSON.stringify(blocks.map(({ x, y, w, h, contrast }) => ({ x, y, w, h, contrast })))}`,
    );
  }
});
