/**
 * A few films of the real development set (../shared/real-dev: not in the repository; these tests are skipped
 * when it is absent), against its hand-drawn boxes: each true box covered, each found box on a label.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coverage, detectLabels, loadDetectorModel, readTruth } from '../../src/labels/detect/index.js';
import { coveredShare } from '../../src/labels/detect/coverage.js';
import { readImage } from '../../src/data/index.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
// beside the checkout, or beside the folder of worktrees; CONFOUND_REAL_DEV names it elsewhere
const REAL_DEV = [
  process.env.CONFOUND_REAL_DEV,
  join(repo, '../shared/real-dev'),
  join(repo, '../../shared/real-dev'),
].find((d): d is string => Boolean(d) && existsSync(join(d!, 'boxes.csv')));

/**
 * Films whose every label the detector covers, one or more of each kind: digital overlay text and a lone L
 * beside it that only the overlay stage finds, Spanish positioning text with a circled D, a circled R, lead R.
 */
const FILMS = [
  'figure1_covid_agchung/COVID-00041.jpg',
  'actualmed_covid_agchung/DX.1.2.840.113564.1722810162.20200420135116095500.1203801020003.png',
  'nih_cxr14/00000013_003.png',
  'figure1_covid_agchung/COVID-00024.jpg',
];

/** Detect the labels of some dev films, and check that each true box is covered and each found box lies on a label. */
async function detectAllCovered(films: readonly string[]) {
  const model = loadDetectorModel();
  const truth = (await readTruth(join(REAL_DEV!, 'boxes.csv'))).boxes.filter((b) => films.includes(b.file));
  const found = [];
  for (const f of films) found.push(...detectLabels(await readImage(join(REAL_DEV!, f)), f, model));
  const c = coverage(found, truth);
  assert.deepEqual(
    c.missed.map((b) => `${b.file} ${b.text}`),
    [],
  );
  assert.deepEqual(
    c.wrong.map((b) => `${b.file} ${b.x},${b.y}`),
    [],
  );
  return { truth, found, c };
}

test('real films: every label of a few dev films is covered, every box found lies on a label, lead L/R read right', {
  skip: !REAL_DEV && 'no ../shared/real-dev',
}, async () => {
  const { truth, found, c } = await detectAllCovered(FILMS);
  assert.ok(truth.length >= 6, 'the chosen films have their boxes in boxes.csv');
  assert.deepEqual(c.lr, { markers: 3, right: 3, wrong: 0, unread: 0, accuracy: 1 });
  // the part of "AP ERECT" that the learned stages left is added by the overlay stage, as "other" text
  assert.ok(found.some((b) => b.file === FILMS[0] && b.category === 'other'));
});

test('real films: overlay words the learned stages cut into pieces are boxed whole, as "other" text', {
  skip: !REAL_DEV && 'no ../shared/real-dev',
}, async () => {
  const films = ['figure1_covid_agchung/COVID-00001.jpg', 'figure1_covid_agchung/COVID-00043a.jpg'];
  const { truth, found } = await detectAllCovered(films);
  // "MOBILE / AP / ERECT" (three lines) and "UPRIGHT": each in one box of its own
  for (const word of ['MOBILE / AP / ERECT', 'UPRIGHT']) {
    const t = truth.find((b) => b.text === word)!;
    assert.ok(
      found.some((b) => b.file === t.file && b.category === 'other' && coveredShare(t, [b]) >= 0.8),
      `${word}: ${JSON.stringify(found.filter((b) => b.file === t.file))}`,
    );
  }
});

test('real films: a lead R of larger type over its plate\'s words ("A LETTO"), boxed with them as initials, is read', {
  skip: !REAL_DEV && 'no ../shared/real-dev',
}, async () => {
  const film = 'figure1_covid_agchung/COVID-00029.jpg';
  const truth = (await readTruth(join(REAL_DEV!, 'boxes.csv'))).boxes.filter((b) => b.file === film);
  const found = detectLabels(await readImage(join(REAL_DEV!, film)), film, loadDetectorModel());
  assert.deepEqual(coverage(found, truth).lr, { markers: 1, right: 1, wrong: 0, unread: 0, accuracy: 1 });
});
