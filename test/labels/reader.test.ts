import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGrayPng } from '../../src/data/index.js';
import { loadDetectorModel } from '../../src/labels/detect/detector.js';
import {
  glyphFeatures,
  GLYPH_FEATURE_NAMES,
  readerFeatures,
  READER_FEATURE_NAMES,
} from '../../src/labels/detect/glyph.js';
import { renderedMarkers } from '../../src/labels/detect/glyph-render.js';
import { SIDE_OF_LETTER } from '../../src/labels/detect/side.js';
import type { MlpWeights } from '../../src/labels/detect/mlp.js';
import { readCrop, readFeatures } from '../../src/labels/detect/reader.js';
import { readTrueMarkers } from '../../src/labels/detect/true-read.js';
import type { LabelBox } from '../../src/labels/types.js';

/** A reader whose output ignores its input: class probabilities `p` (the hidden layer is all zero). */
function constantReader(classes: string[], p: number[], names: readonly string[] = GLYPH_FEATURE_NAMES): MlpWeights {
  const d = names.length;
  return {
    classes,
    features: [...names],
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

test('the letter reader defers to the L/R reader for what it takes for an L or an R, unless that one is unsure', () => {
  const crop = { width: 0, height: 0, data: new Float32Array(0) };
  const lr = constantReader(['L', 'R'], [0.2, 0.8]);
  const letters = (p: number[]) => constantReader(['L', 'R', 'D', 'I'], p, READER_FEATURE_NAMES);
  // the letter reader says L (0.5), its side L; the L/R reader is asked and says R
  assert.deepEqual(readCrop({ reader: letters([0.5, 0.1, 0.1, 0.3]), lrReader: lr, minReadConfidence: 0.6 }, crop), {
    side: 'R',
    letter: 'R',
  });
  // the letter reader says D: its reading stands
  assert.deepEqual(readCrop({ reader: letters([0.1, 0.2, 0.6, 0.1]), lrReader: lr, minReadConfidence: 0.6 }, crop), {
    side: 'R',
    letter: 'D',
  });
  assert.deepEqual(readCrop({ reader: letters([0.1, 0.1, 0.2, 0.6]), lrReader: lr, minReadConfidence: 0.6 }, crop), {
    side: 'L',
    letter: 'I',
  });
  // the L/R reader is unsure (0.55 < 0.6): the letter reader's own reading stands
  const unsure = constantReader(['L', 'R'], [0.45, 0.55]);
  assert.deepEqual(
    readCrop({ reader: letters([0.1, 0.7, 0.1, 0.1]), lrReader: unsure, minReadConfidence: 0.6 }, crop),
    {
      side: 'R',
      letter: 'R',
    },
  );
});

test('reader features start with the glyph features stage 2 sees; renders are the same for a seed', () => {
  const a = renderedMarkers(11, 6),
    b = renderedMarkers(11, 6);
  assert.deepEqual(
    a.map((m) => [m.letter, ...m.crop.data]),
    b.map((m) => [m.letter, ...m.crop.data]),
  );
  assert.notDeepEqual(
    renderedMarkers(12, 6).map((m) => [...m.crop.data]),
    a.map((m) => [...m.crop.data]),
  );
  for (const m of a)
    assert.deepEqual(readerFeatures(m.crop).slice(0, GLYPH_FEATURE_NAMES.length), glyphFeatures(m.crop));
});

test('the shipped reader reads rendered D/I/L/R markers it was not trained on as their side', (t) => {
  const model = loadDetectorModel();
  const marks = renderedMarkers(99, 60);
  for (const letter of ['D', 'I', 'L', 'R']) {
    const of = marks.filter((m) => m.letter === letter);
    const right = of.filter((m) => readCrop(model, m.crop).side === SIDE_OF_LETTER[letter]).length;
    t.diagnostic(`${letter}: ${right}/${of.length}`);
    assert.ok(right / of.length >= 0.75, `${letter}: ${right} of ${of.length} read as their side`);
  }
});
