/**
 * Reading the words of text boxes with tesseract: overlay text burned into seeded noisy films (light on dark,
 * dark on light, white type outlined in black on a bright ground, two lines), the confidence filter, and the
 * word score on hand-made boxes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { GrayImage } from '../../src/data/index.js';
import {
  readBoxText,
  readOtherText,
  scoreTextReading,
  tesseractAvailable,
  textWords,
  type DetectedBox,
} from '../../src/labels/detect/index.js';
import { cleanText, inkBands, parseTsv } from '../../src/labels/detect/text-reader.js';
import { Rng } from '../../src/util/index.js';
import { encodeGrayPng } from '../../src/data/index.js';
import { tempDir } from '../fixtures/temp-dirs.js';
import type { LabelBox } from '../../src/labels/index.js';

const skip = !tesseractAvailable() && 'needs tesseract-ocr (bash scripts/setup.sh installs it)';

/** A 400 x 200 film: a seeded noisy ramp from `ground` to `ground` + 0.2. */
function film(seed: number, ground: number): GrayImage {
  const rng = new Rng(seed);
  const width = 400,
    height = 200,
    data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data[y * width + x] = ground + (0.2 * x) / width + 0.04 * (rng.next() - 0.5);
  return { width, height, data, bits: 8 };
}

/** Burn SVG text lines into a film at (x, y): fill value, and an optional outline value 3 px wide. */
async function burn(
  img: GrayImage,
  lines: string[],
  at: { x: number; y: number; size: number },
  fill: number,
  outline?: { value: number; width: number },
): Promise<void> {
  const w = img.width,
    h = img.height;
  const text = (stroke: boolean) =>
    lines
      .map(
        (l, i) =>
          `<text x="${at.x}" y="${at.y + (i + 1) * at.size * 1.2}" font-family="DejaVu Sans" font-weight="bold" ` +
          `font-size="${at.size}" fill="white"${stroke ? ` stroke="white" stroke-width="${outline?.width}"` : ''}>${l}</text>`,
      )
      .join('');
  const mask = async (stroke: boolean) =>
    sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${text(stroke)}</svg>`))
      .extractChannel('alpha')
      .raw()
      .toBuffer();
  if (outline !== undefined) {
    const o = await mask(true);
    for (let i = 0; i < o.length; i++) img.data[i] += (o[i] / 255) * (outline.value - img.data[i]);
  }
  const m = await mask(false);
  for (let i = 0; i < m.length; i++) img.data[i] += (m[i] / 255) * (fill - img.data[i]);
}

const box = (x: number, y: number, w: number, h: number): DetectedBox => ({
  file: 'f.png',
  x,
  y,
  w,
  h,
  category: 'other',
  score: 1,
  categoryScore: 1,
});

test('overlay text reads whatever its polarity, outlined or in two lines', { skip }, async () => {
  const light = film(1, 0.15);
  await burn(light, ['PORTABLE'], { x: 40, y: 40, size: 22 }, 0.95);
  assert.equal(await readBoxText(light, box(38, 44, 130, 30)), 'PORTABLE');

  const dark = film(2, 0.6);
  await burn(dark, ['SUPINE'], { x: 40, y: 40, size: 22 }, 0.05);
  assert.equal(await readBoxText(dark, box(38, 44, 100, 30)), 'SUPINE');

  // white type in a thin black outline on a bright ground: the border rule takes it for dark text, but its ink is
  // the white core (only the last drawing reads it: the others give SENVADO, SENUWADO, SENDS, all unsure)
  const outlined = film(3, 0.78);
  await burn(outlined, ['SENTADO'], { x: 40, y: 40, size: 26 }, 1, { value: 0, width: 2 });
  assert.equal(await readBoxText(outlined, box(34, 42, 150, 40)), 'SENTADO');

  const twoLines = film(4, 0.2);
  await burn(twoLines, ['AP', 'ERECT'], { x: 40, y: 30, size: 20 }, 0.9);
  assert.deepEqual(textWords(await readBoxText(twoLines, box(38, 34, 80, 54))), ['AP', 'ERECT']);
});

test('a flat patch of noise reads as nothing, not as low-confidence letters', { skip }, async () => {
  assert.equal(await readBoxText(film(5, 0.4), box(100, 60, 120, 40)), '');
});

test('dataset reading: a "technologist" box that reads as a word is text; initials stay initials', {
  skip,
}, async () => {
  const dir = await tempDir('confound-text-');
  const img = film(6, 0.1);
  await burn(img, ['MOBILE'], { x: 30, y: 20, size: 22 }, 0.95);
  await burn(img, ['JK'], { x: 300, y: 120, size: 22 }, 0.95);
  const path = join(dir, 'f.png');
  await sharp(await encodeGrayPng(img, 8)).toFile(path);
  const word = { ...box(28, 24, 110, 30), category: 'technologist' as const, text: 'M?B?LE' };
  const initials = { ...box(298, 124, 40, 30), category: 'technologist' as const, text: 'JK' };
  const issues = await readOtherText([{ id: 'f.png', path, patient: 'p', study: 's' }], [word, initials]);
  assert.deepEqual(issues, []);
  assert.deepEqual([word.category, word.text], ['other', 'MOBILE']);
  assert.equal(initials.category, 'technologist');
});

test('tesseract TSV: words in reading order with confidences; words under the floor are dropped', () => {
  const tsv = [
    'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
    '1\t1\t0\t0\t0\t0\t0\t0\t200\t50\t-1\t',
    '5\t1\t1\t1\t1\t1\t10\t10\t40\t20\t96.5\tAP',
    '5\t1\t1\t1\t1\t2\t60\t10\t80\t20\t91.0\tERECT,',
    '5\t1\t1\t1\t1\t3\t150\t10\t20\t20\t22.0\tee',
  ].join('\n');
  const words = parseTsv(tsv);
  assert.deepEqual(
    words.map((w) => w.text),
    ['AP', 'ERECT,', 'ee'],
  );
  assert.equal(cleanText(words), 'AP ERECT');
  assert.deepEqual(inkBands([0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1]), [3, 4]);
});

test('the word score: notes in parentheses and edge-cut words do not count; found boxes over a true box pool their words', () => {
  assert.deepEqual(textWords('PORTABLE SEM... (cut at right edge)'), ['PORTABLE']);
  assert.deepEqual(textWords('MOBILE / AP / ERECT'), ['MOBILE', 'AP', 'ERECT']);
  const truth: LabelBox[] = [
    { file: 'a', x: 0, y: 0, w: 100, h: 20, category: 'other', text: 'AP ERECT' },
    { file: 'a', x: 0, y: 50, w: 100, h: 20, category: 'other', text: 'PORTABLE' },
    { file: 'a', x: 0, y: 90, w: 10, h: 10, category: 'other', text: '(unreadable)' },
    { file: 'a', x: 200, y: 0, w: 20, h: 20, category: 'laterality', text: 'L' },
  ];
  const found: LabelBox[] = [
    { file: 'a', x: 0, y: 0, w: 40, h: 20, category: 'other', text: 'AP' },
    { file: 'a', x: 45, y: 0, w: 60, h: 20, category: 'other', text: 'ERECT' },
    { file: 'a', x: 0, y: 50, w: 100, h: 20, category: 'other', text: 'P0RTABLE' },
  ];
  const s = scoreTextReading(found, truth);
  assert.deepEqual(
    { boxes: s.boxes, read: s.read, words: s.words, words_read: s.words_read },
    { boxes: 2, read: 1, words: 3, words_read: 2 },
  );
  assert.deepEqual(s.misread, [{ file: 'a', text: 'PORTABLE', read: 'P0RTABLE' }]);
});

test('detect --read-text without tesseract fails at once with the fix', async () => {
  const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
  const dir = await tempDir('confound-text-cli-');
  await assert.rejects(
    promisify(execFile)(process.execPath, [cli, 'detect', '--data', dir, '--out', join(dir, 'x.json'), '--read-text'], {
      env: { ...process.env, CONFOUND_TESSERACT: '/nonexistent/tesseract' },
    }),
    (e: { code: number; stderr: string }) =>
      e.code === 1 && /--read-text needs tesseract.*apt-get install tesseract-ocr/.test(e.stderr),
  );
});
