import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coverage, coveredArea } from '../../src/labels/detect/index.js';
import type { LabelBox } from '../../src/labels/types.js';

const box = (
  file: string,
  x: number,
  y: number,
  w: number,
  h: number,
  category: LabelBox['category'] = 'laterality',
): LabelBox => ({ file, x, y, w, h, category });

test("covered area is the union's, overlaps counted once, clipped to the target", () => {
  const t = { x: 0, y: 0, w: 10, h: 10 };
  assert.equal(coveredArea(t, []), 0);
  assert.equal(coveredArea(t, [{ x: -5, y: -5, w: 30, h: 30 }]), 100);
  // two 6 x 10 halves overlapping by 2 columns cover all 100, not 120
  assert.equal(
    coveredArea(t, [
      { x: 0, y: 0, w: 6, h: 10 },
      { x: 4, y: 0, w: 6, h: 10 },
    ]),
    100,
  );
  // an L shape: 10 x 3 and 3 x 10 overlap in 3 x 3 → 30 + 30 - 9
  assert.equal(
    coveredArea(t, [
      { x: 0, y: 0, w: 10, h: 3 },
      { x: 0, y: 0, w: 3, h: 10 },
    ]),
    51,
  );
  // fractional edges
  assert.ok(Math.abs(coveredArea(t, [{ x: 2.5, y: 2.5, w: 5, h: 2.5 }]) - 12.5) < 1e-12);
  // boxes that only touch cover nothing
  assert.equal(coveredArea(t, [{ x: 10, y: 0, w: 5, h: 10 }]), 0);
});

test('a true box is found at 80% covered by the union of boxes, whichever box and category covers it', () => {
  const truths = [box('a/1.png', 0, 0, 100, 10, 'other'), box('a/1.png', 200, 200, 10, 10)];
  // two halves cover the word (81 columns of 100); the marker is 79% covered
  const preds = [
    box('a/1.png', 0, 0, 40, 10, 'technologist'),
    box('a/1.png', 39, 0, 42, 10, 'technologist'),
    box('a/1.png', 200, 200, 7.9, 10),
  ];
  const c = coverage(preds, truths);
  assert.equal(c.covered, 1);
  assert.equal(c.recall, 0.5);
  assert.deepEqual(c.missed, [truths[1]]);
  assert.equal(c.by_category.other.recall, 1);
  assert.equal(c.by_category.laterality.recall, 0);
  // all three predicted boxes lie wholly on true boxes
  assert.equal(c.precision, 1);
  // a box on another image covers nothing
  assert.equal(coverage([box('a/2.png', 0, 0, 100, 10)], truths).covered, 0);
});

test('a found box is right when half of it lies on the true boxes grown by 4 px', () => {
  const truths = [box('x.png', 10, 10, 10, 10)];
  // the grown truth is [6, 24] x [6, 24]; [6, 26] x [10, 20] has 18 of its 20 columns on it
  const right = box('x.png', 6, 10, 20, 10);
  // [15, 43] x [10, 20]: 9 of 28 columns on the grown truth
  const wrong = box('x.png', 15, 10, 28, 10);
  // exactly half: [4, 44] x [10, 20] → columns 6..24 = 18 of 40 (0.45): wrong; [0, 36] → 18 of 36 = 0.5: right
  const under = box('x.png', 4, 10, 40, 10),
    half = box('x.png', 0, 10, 36, 10);
  const c = coverage([right, wrong, under, half], truths);
  assert.deepEqual(c.wrong, [wrong, under]);
  assert.equal(c.right, 2);
  assert.equal(c.precision, 0.5);
  // a box on an image with no truth is wrong; no boxes at all is precision 1 (nothing wrong was found)
  assert.equal(coverage([box('y.png', 0, 0, 5, 5)], truths).precision, 0);
  assert.equal(coverage([], truths).precision, 1);
  assert.equal(coverage([], []).recall, 1);
});

test("coverage is reported per category (recall by truth, precision by the found box's category) and per top-level folder", () => {
  const truths = [
    box('f1/a.png', 0, 0, 10, 10),
    box('f1/sub/b.png', 0, 0, 10, 10, 'other'),
    box('f2/c.png', 0, 0, 10, 10),
    box('root.png', 0, 0, 10, 10, 'technologist'),
  ];
  const preds = [
    box('f1/a.png', 0, 0, 10, 10, 'technologist'),
    box('f1/sub/b.png', 50, 50, 10, 10, 'other'),
    box('root.png', 0, 0, 10, 10, 'technologist'),
  ];
  const c = coverage(preds, truths);
  assert.deepEqual(Object.keys(c.by_folder), ['.', 'f1', 'f2']);
  assert.deepEqual(
    { ...c.by_folder.f1 },
    { truths: 2, covered: 1, predictions: 2, right: 1, recall: 0.5, precision: 0.5 },
  );
  assert.deepEqual({ ...c.by_folder.f2 }, { truths: 1, covered: 0, predictions: 0, right: 0, recall: 0, precision: 1 });
  assert.equal(c.by_folder['.'].recall, 1);
  assert.deepEqual(
    { ...c.by_category.technologist },
    { truths: 1, covered: 1, predictions: 2, right: 2, recall: 1, precision: 1 },
  );
  assert.deepEqual(
    { ...c.by_category.other },
    { truths: 1, covered: 0, predictions: 1, right: 0, recall: 0, precision: 0 },
  );
  assert.equal(c.by_category.laterality.recall, 0.5);
});

test('L/R reading is judged on covered markers whose true text starts with L or R, from the laterality box covering most', () => {
  const truths: LabelBox[] = [
    { ...box('a.png', 0, 0, 10, 10), text: 'L in circle' },
    { ...box('a.png', 50, 0, 10, 10), text: 'R' },
    { ...box('a.png', 100, 0, 10, 10), text: 'D in circle' },
    { ...box('b.png', 0, 0, 10, 10), text: 'R' },
    { ...box('c.png', 0, 0, 10, 10), text: 'Left' },
  ];
  const preds: LabelBox[] = [
    // a small right reading and a larger wrong one on the first marker: the larger decides
    { ...box('a.png', 0, 0, 4, 10), text: 'L' },
    { ...box('a.png', 2, 0, 8, 10), text: 'R' },
    { ...box('a.png', 50, 0, 10, 10), text: 'R' },
    { ...box('a.png', 100, 0, 10, 10), text: 'R' },
    box('b.png', 0, 0, 10, 10),
    { ...box('c.png', 0, 0, 10, 10), text: 'L' },
  ];
  const { lr, sides } = coverage(preds, truths);
  assert.deepEqual(lr, { markers: 3, right: 1, wrong: 1, unread: 1, accuracy: 1 / 3 });
  // every marker with a readable side counts there: the D (derecha = right) read R and "Left" read L are right
  assert.deepEqual(sides, { markers: 5, right: 3, wrong: 1, unread: 1, accuracy: 3 / 5 });
});
