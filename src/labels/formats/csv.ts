import type { LabelBox } from '../types.js';
import { LABEL_CATEGORIES } from '../types.js';
import { parseCsvObjects, toCsv } from '../../util/index.js';
import { checkBox } from './common.js';

export function parseBoxCsv(text: string, file: string): LabelBox[] {
  const rows = parseCsvObjects(text);
  if (rows.length && !['path', 'x', 'y', 'w', 'h'].every((k) => k in rows[0])) {
    throw new Error(
      `${file}: box CSV needs columns path,x,y,w,h[,category,score,text] (found: ${Object.keys(rows[0]).join(', ')})`,
    );
  }
  return rows.map((r, i) => {
    const where = `line ${i + 2}`;
    const cat = (r.category ?? '').trim() || 'other';
    if (!(LABEL_CATEGORIES as readonly string[]).includes(cat)) {
      throw new Error(`${file}: ${where}: category "${cat}" is not one of ${LABEL_CATEGORIES.join(', ')}`);
    }
    const box: LabelBox = {
      file: r.path.trim().replace(/\\/g, '/'),
      x: Number(r.x),
      y: Number(r.y),
      w: Number(r.w),
      h: Number(r.h),
      category: cat as LabelBox['category'],
    };
    if ((r.score ?? '').trim() !== '') box.score = Number(r.score);
    if ((r.text ?? '') !== '') box.text = r.text;
    return checkBox(box, file, where);
  });
}

export function formatBoxCsv(boxes: readonly LabelBox[]): string {
  return toCsv([
    ['path', 'x', 'y', 'w', 'h', 'category', 'score', 'text'],
    ...boxes.map((b) => [b.file, b.x, b.y, b.w, b.h, b.category, b.score ?? '', b.text ?? '']),
  ]);
}
