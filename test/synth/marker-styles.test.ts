import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { renderImage, renderSpecFor, sampleMetadata, resolveOptions, LABEL_CODES } from '../../src/synth/index.js';

const SIZE = 96;
const meta = sampleMetadata(resolveOptions({ studies: 24, size: SIZE, seed: 11 }));
const specs = meta.studies.map((s) => renderSpecFor(s, s.images[0], SIZE));
const hashPixels = (specList: typeof specs) => {
  const h = createHash('sha256');
  for (const spec of specList) {
    const r = renderImage(spec);
    h.update(Buffer.from(r.image.data.buffer)).update(r.labelMask).update(JSON.stringify(r.labels));
  }
  return h.digest('hex');
};

test('the default phantom does not depend on the extended marker set (pixels, masks and boxes as before it existed)', () => {
  // recorded with the renderer before --marker-styles was added, updated when the marker styles' confound order
  // changed (which studies are abnormal, so which have findings); the study's numbers depend on these pixels
  assert.equal(hashPixels(specs), '08750d750ad61b57d60bc4c61ae747d45291ca3772e3775d1ffef302d98d9e70');
  assert.equal(hashPixels(specs.map((s) => ({ ...s, markerStyles: 'standard' as const }))), hashPixels(specs));
  assert.equal(resolveOptions({}).markerStyles, undefined);
  assert.throws(() => resolveOptions({ markerStyles: 'bold' as never }), /markerStyles.*did you mean/);
});

test('extended markers: bold strokes and holders change some images; labels stay exact (mask = changed pixels, inside boxes)', () => {
  let differ = 0;
  for (const spec of specs) {
    const std = renderImage(spec),
      ext = renderImage({ ...spec, markerStyles: 'extended' });
    if (ext.image.data.some((v, i) => v !== std.image.data[i])) differ++;
    assert.deepEqual(
      ext.labels.map((l) => `${l.category}:${l.text}`),
      std.labels.map((l) => `${l.category}:${l.text}`),
    );
    for (let i = 0; i < ext.labelMask.length; i++) {
      if (ext.image.data[i] !== ext.clean.data[i])
        assert.notEqual(ext.labelMask[i], 0, 'a holder pixel was counted as a label');
      if (ext.labelMask[i] === 0) continue;
      const x = i % SIZE,
        y = Math.floor(i / SIZE);
      assert.ok(
        ext.labels.some(({ bbox: [bx, by, bw, bh] }) => x >= bx && x < bx + bw && y >= by && y < by + bh),
        `label pixel (${x},${y}) outside every box`,
      );
    }
    for (const l of ext.labels) {
      const [x, y, w, h] = l.bbox;
      let own = 0;
      for (let yy = y; yy < y + h; yy++)
        for (let xx = x; xx < x + w; xx++) if (ext.labelMask[yy * SIZE + xx] === LABEL_CODES[l.category]) own++;
      assert.ok(own > 0);
    }
    for (const v of ext.image.data) assert.ok(v >= 0 && v <= 1);
  }
  // each image draws bold (45 %) and a holder (50 %) independently: nearly all of 24 differ, never none
  assert.ok(differ >= 12, `only ${differ} of ${specs.length} extended images differ from the standard ones`);
});
