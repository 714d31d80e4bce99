import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGrayPng } from '../../src/data/index.js';
import { GLYPH_FEATURE_NAMES } from '../../src/labels/detect/glyph.js';
import type { MlpWeights } from '../../src/labels/detect/mlp.js';
import { readFeatures } from '../../src/labels/detect/reader.js';
import { readTrueMarkers } from '../../src/labels/detect/true-read.js';
import type { LabelBox } from '../../src/labels/types.js';

/** A reader whose output ignores its input: class probabilities `p` (the hidden layer is all zero). */
function constantReader(classes: string[], p: number[]): MlpWeights {
  const d = GLYPH_FEATURE_NAMES.length;
  return {
    classes,
    features: [...GLYPH_FEATURE_NAMES],
    mean: new Array(d).fill(0),
    std: new Array(d).fill(1),
    w1: [new Array(d).fill(0)],
    b1: [0],
    w2: classes.map(() => [0]),
    b2: p.map(Math.log),
  };
}

test('a side is read from the sum of its letters: D and R both read right, the likeliest letter is the glyph', () => {
  const reader = constantReader(['L', 'R', 'D', 'I'], [0.3, 0.25, 0.3, 0.15]);
  const x = new Array(GLYPH_FEATURE_NAMES.length).fill(0);
  // no letter reaches 0.5, but the right side does (0.55); its likelier letter is D
  assert.deepEqual(readFeatures(reader, 0.5, x), { side: 'R', letter: 'D' });
  assert.deepEqual(readFeatures(reader, 0.6, x), {});
  // a two-letter reader of the older weights reads as before
  assert.deepEqual(readFeatures(constantReader(['L', 'R'], [0.7, 0.3]), 0.6, x), { side: 'L', letter: 'L' });
});

test('true markers are read in their images; a marker in an image not given is unread; sideless texts are left out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'confound-true-read-'));
  try {
    const path = join(dir, 'a.png');
    await writeGrayPng(path, { width: 64, height: 64, data: new Float32Array(64 * 64).fill(0.3), bits: 8 });
    const at = (file: string, x: number, text: string): LabelBox => ({
      file,
      x,
      y: 4,
      w: 20,
      h: 20,
      category: 'laterality',
      text,
    });
    const truths = [at('a.png', 2, 'D in circle'), at('a.png', 30, 'L'), at('b.png', 2, 'R'), at('a.png', 2, 'smudge')];
    const model = { reader: constantReader(['L', 'R', 'D'], [0.1, 0.2, 0.7]), minReadConfidence: 0.6 };
    const r = await readTrueMarkers([{ id: 'a.png', path }], truths, model);
    assert.equal(r.markers.length, 3);
    assert.deepEqual(r.sides, { markers: 3, right: 1, wrong: 1, unread: 1, accuracy: 1 / 3 });
    assert.deepEqual(r.lr, { markers: 2, right: 0, wrong: 1, unread: 1, accuracy: 0 });
    assert.deepEqual(
      r.markers.map((m) => [m.marker.text, m.read, m.glyph]),
      [
        ['D in circle', 'R', 'D'],
        ['L', 'R', 'D'],
        ['R', undefined, undefined],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
