import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderImage, renderSpecFor, sampleMetadata, resolveOptions, LABEL_CODES } from '../../src/synth/index.js';

const meta = sampleMetadata(resolveOptions({ studies: 30, size: 96, seed: 11 }));
const renders = meta.studies.flatMap((s) =>
  s.images.slice(0, 1).map((im) => ({ s, r: renderImage(renderSpecFor(s, im, 96)) })),
);

test('every label box lies inside its image and holds pixels of its own category', () => {
  for (const { r } of renders) {
    assert.ok(r.labels.length >= 1);
    for (const l of r.labels) {
      const [x, y, w, h] = l.bbox;
      assert.ok(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 96 && y + h <= 96, `box ${l.bbox} outside 96x96`);
      let own = 0;
      for (let yy = y; yy < y + h; yy++)
        for (let xx = x; xx < x + w; xx++) if (r.labelMask[yy * 96 + xx] === LABEL_CODES[l.category]) own++;
      assert.ok(own > 0, `box of ${l.text} holds no ${l.category} pixels`);
    }
  }
});

test('label pixels are exactly where labels changed the image, and all lie inside boxes', () => {
  let changed = 0;
  for (const { r } of renders) {
    for (let i = 0; i < r.labelMask.length; i++) {
      const differs = r.image.data[i] !== r.clean.data[i];
      if (differs) {
        changed++;
        assert.notEqual(r.labelMask[i], 0, 'a pixel changed outside the label mask');
      }
      if (r.labelMask[i] === 0) continue;
      const x = i % 96,
        y = Math.floor(i / 96);
      assert.ok(
        r.labels.some(({ bbox: [bx, by, bw, bh] }) => x >= bx && x < bx + bw && y >= by && y < by + bh),
        `label pixel (${x},${y}) outside every box`,
      );
    }
  }
  assert.ok(changed > 0);
});

test('labels read the study laterality and the technologist initials', () => {
  for (const { s, r } of renders) {
    const texts = r.labels.map((l) => `${l.category}:${l.text}`).sort();
    assert.deepEqual(texts, [`laterality:${s.laterality}`, `technologist:${s.technologist.initials}`].sort());
  }
});

test('rendering is deterministic in the spec and images stay in [0, 1]', () => {
  const s = meta.studies[0];
  const a = renderImage(renderSpecFor(s, s.images[0], 64));
  const b = renderImage(renderSpecFor(s, s.images[0], 64));
  assert.deepEqual(a.image.data, b.image.data);
  assert.deepEqual(a.labels, b.labels);
  const c = renderImage({ ...renderSpecFor(s, s.images[0], 64), seed: s.images[0].seed + 1 });
  assert.notDeepEqual(a.image.data, c.image.data);
  for (const v of a.image.data) assert.ok(v >= 0 && v <= 1);
});

test('abnormal findings change the anatomy: same pose with and without the finding differ, for most conspicuous findings', () => {
  // Occult findings (strength < 0.2) are meant to be next to invisible; a lesion whose bone is out of frame is too.
  const shown = meta.studies.filter((x) => x.finding !== null && x.finding.strength >= 0.2);
  assert.ok(shown.length >= 5, `only ${shown.length} conspicuous abnormal studies in the sample`);
  let changed = 0;
  for (const s of shown) {
    const spec = renderSpecFor(s, s.images[0], 96);
    const withF = renderImage(spec).clean.data;
    const without = renderImage({ ...spec, finding: null }).clean.data;
    let diff = 0;
    for (let i = 0; i < withF.length; i++) diff += Math.abs(withF[i] - without[i]);
    if (diff > 0.5) changed++;
  }
  assert.ok(changed >= 0.8 * shown.length, `a finding changed only ${changed} of ${shown.length} images`);
});
