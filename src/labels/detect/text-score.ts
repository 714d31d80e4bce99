/**
 * How well the text of "other" boxes was read, against true boxes whose `text` gives their words: a true box's
 * words are looked for among the words read in the found "other" boxes that overlap it. Hand-written notes in a
 * truth text (in parentheses) and words cut at the image edge (written with "..") are not counted.
 */
import type { LabelBox } from '../types.js';
import { coveredArea } from './coverage.js';

export interface TextReading {
  /** True "other" boxes with at least one countable word. */
  boxes: number;
  /** Of those, boxes whose every word was read. */
  read: number;
  words: number;
  words_read: number;
  /** True boxes not read whole: their text and what was read over them. */
  misread: { file: string; text: string; read: string }[];
}

/** The countable words of a text: capitals and digits, two characters or more. */
export function textWords(text: string): string[] {
  return text
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .filter((t) => !t.includes('..'))
    .flatMap((t) => t.toUpperCase().split(/[^A-Z0-9]+/))
    .filter((w) => w.length >= 2);
}

const overlaps = (a: LabelBox, b: LabelBox) => a.file === b.file && coveredArea(a, [b]) > 0;

export function scoreTextReading(found: readonly LabelBox[], truth: readonly LabelBox[]): TextReading {
  const out: TextReading = { boxes: 0, read: 0, words: 0, words_read: 0, misread: [] };
  const other = found.filter((b) => b.category === 'other');
  for (const t of truth) {
    if (t.category !== 'other') continue;
    const want = textWords(t.text ?? '');
    if (!want.length) continue;
    const readText = other
      .filter((b) => overlaps(b, t))
      .map((b) => b.text ?? '')
      .join(' ');
    const got = new Set(textWords(readText));
    const hit = want.filter((w) => got.has(w)).length;
    out.boxes++;
    out.words += want.length;
    out.words_read += hit;
    if (hit === want.length) out.read++;
    else out.misread.push({ file: t.file, text: t.text ?? '', read: readText });
  }
  return out;
}
