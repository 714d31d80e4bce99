import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { isNum } from './format.js';
import { camStem, type CamEntry } from '../study/index.js';
import type { StudyData } from './load.js';

export interface GalleryPair {
  id: string;
  label?: 0 | 1;
  original: { file: string; attention: number | null };
  covered: { file: string; attention: number | null };
  /** Original model's label attention minus the covered model's; NaN when either map was all zero. */
  shift: number;
}

function overlayFile(dir: string, arm: string, e: CamEntry): string | undefined {
  const name = e.overlay ?? `${camStem(e.id)}.png`;
  const f = join(dir, 'cam', arm, name);
  return existsSync(f) ? f : undefined;
}

/** Test images with an overlay from both the original and the covered model, largest attention shift first. */
export function pickPairs(data: StudyData, limit = 12): GalleryPair[] {
  const orig = data.attention.get('original') ?? [];
  const cov = new Map((data.attention.get('covered') ?? []).map((e) => [e.id, e]));
  const pairs: GalleryPair[] = [];
  for (const o of orig) {
    const c = cov.get(o.id);
    if (!c) continue;
    const fo = overlayFile(data.dir, 'original', o),
      fc = overlayFile(data.dir, 'covered', c);
    if (!fo || !fc) continue;
    const a = isNum(o.label_attention) ? o.label_attention : null,
      b = isNum(c.label_attention) ? c.label_attention : null;
    pairs.push({
      id: o.id,
      label: o.label,
      original: { file: fo, attention: a },
      covered: { file: fc, attention: b },
      shift: a !== null && b !== null ? a - b : NaN,
    });
  }
  // Pairs with both attentions first (an all-zero map has none), largest shift first; ties broken by id so every render agrees.
  const key = (p: GalleryPair) => (Number.isNaN(p.shift) ? -1 : Math.abs(p.shift));
  pairs.sort((x, y) => key(y) - key(x) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  return pairs.slice(0, limit);
}

/** An image file as a data URI, shrunk to at most `max` pixels a side so the report stays small. */
export async function dataUri(file: string, max = 320): Promise<string> {
  const bytes = await readFile(file);
  const meta = await sharp(bytes).metadata();
  const big = (meta.width ?? 0) > max || (meta.height ?? 0) > max;
  const png = big ? await sharp(bytes).resize({ width: max, height: max, fit: 'inside' }).png().toBuffer() : bytes;
  return `data:image/png;base64,${png.toString('base64')}`;
}
