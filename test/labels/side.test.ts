import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/labels/detect/index.js';
import { markerSide, trueMarkerSide } from '../../src/labels/detect/side.js';
import type { LabelBox } from '../../src/labels/types.js';

test('a truth text gives the side of the letter or word a person reads on the marker', () => {
  const cases: [string, 'L' | 'R' | undefined][] = [
    ['L', 'L'],
    ['R (cut at top edge)', 'R'],
    ['L in circle', 'L'],
    ['L + initials plate', 'L'],
    ['D in circle (derecha = right)', 'R'],
    ['I in circle (izquierda = left; cut at top edge)', 'L'],
    ['D (cut at top edge; Italian destra = right)', 'R'],
    ['DX (Italian destra = right)', 'R'],
    ['SX (Italian sinistra = left)', 'L'],
    ['S', 'L'],
    ['Left', 'L'],
    ['RIGHT', 'R'],
    ['L (rotated glyph); round bright object below is not a marker', 'L'],
    // no side letter: a technologist's initials, a word that is no side, a lower-case letter, nothing
    ['JK', undefined],
    ['Lateral', undefined],
    ['d', undefined],
    ['unreadable smudge', undefined],
    ['', undefined],
  ];
  for (const [text, side] of cases) assert.equal(markerSide(text)?.side, side, text);
  assert.equal(markerSide('DX (Italian destra = right)')?.shown, 'DX');
  assert.equal(markerSide(undefined), undefined);
});

test('only laterality boxes have a true side', () => {
  const b = (category: LabelBox['category'], text: string): LabelBox => ({
    file: 'a',
    x: 0,
    y: 0,
    w: 9,
    h: 9,
    category,
    text,
  });
  assert.equal(trueMarkerSide(b('laterality', 'I in circle')), 'L');
  assert.equal(trueMarkerSide(b('technologist', 'D')), undefined);
  assert.equal(trueMarkerSide(b('other', 'R')), undefined);
});

test('evaluate scores the side over every readable marker beside the L/R-texted figure', () => {
  const at = (x: number, text?: string): LabelBox => ({
    file: 'a',
    x,
    y: 0,
    w: 10,
    h: 10,
    category: 'laterality',
    text,
  });
  const truths = [
    at(0, 'L'),
    at(20, 'D in circle (derecha = right)'),
    at(40, 'I in circle'),
    at(60, 'Left'),
    at(80, 'smudge'),
  ];
  const preds = [at(0, 'L'), at(20, 'R'), at(40, 'R'), at(60), at(80, 'L')];
  const e = evaluate(preds, truths, 1);
  assert.equal(e.lr_total, 1);
  assert.equal(e.lr_accuracy, 1);
  assert.equal(e.side_total, 4);
  assert.equal(e.side_accuracy, 2 / 4);
  assert.equal(e.side_read_rate, 3 / 4);
});
