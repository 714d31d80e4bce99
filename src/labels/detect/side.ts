/**
 * The side a laterality marker gives, from the letter a person reads on it: L/R (left/right), Spanish D/I
 * (derecha = right, izquierda = left) and Italian D, DX (destra = right), S, SX (sinistra = left). Hand-made truth
 * texts start with what the marker shows, then notes: "L", "R (cut at top edge)", "D in circle (derecha = right)",
 * "DX (Italian destra = right)", "L + initials plate", "Left".
 */
import type { LabelBox } from '../types.js';

export type Side = 'L' | 'R';

/** The letters a reader may read, each with its side. */
export const SIDE_OF_LETTER: Readonly<Record<string, Side>> = { L: 'L', R: 'R', D: 'R', I: 'L', S: 'L' };

/** Marker words (upper case) that name a side; a single letter of SIDE_OF_LETTER is one too. */
const SIDE_WORDS: Readonly<Record<string, Side>> = {
  LEFT: 'L',
  RIGHT: 'R',
  LT: 'L',
  RT: 'R',
  DX: 'R',
  SX: 'L',
  DER: 'R',
  IZQ: 'L',
  DERECHA: 'R',
  IZQUIERDA: 'L',
  DESTRA: 'R',
  SINISTRA: 'L',
};

/**
 * The marker's side and the word that shows it, from a truth text's first word (letters only, case as written
 * for a single letter: a lower-case "d" or "l" is no marker letter); undefined when that word names no side.
 */
export function markerSide(text: string | undefined): { side: Side; shown: string } | undefined {
  const word = /^\s*([A-Za-z]+)/.exec(text ?? '')?.[1];
  if (!word) return undefined;
  if (word.length === 1) {
    const side = SIDE_OF_LETTER[word];
    return side ? { side, shown: word } : undefined;
  }
  const side = SIDE_WORDS[word.toUpperCase()];
  return side ? { side, shown: word } : undefined;
}

/** The side of a true laterality box, or undefined for other categories and texts without a readable side. */
export function trueMarkerSide(t: LabelBox): Side | undefined {
  return t.category === 'laterality' ? markerSide(t.text)?.side : undefined;
}

/** Whether a true laterality box's text starts with the letter L or R (the figure reported before D/I/S counted). */
export function isLrText(t: LabelBox): boolean {
  return t.category === 'laterality' && /^[LR]\b/.test(t.text ?? '');
}
