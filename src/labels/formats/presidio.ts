import type { LabelBox, LabelCategory } from '../types.js';
import { checkBox } from './common.js';

/**
 * One bounding box as Presidio's image redactor reports it (ImageRecognizerResult fields); its evaluation's
 * ground truth names the text in "label" instead (and may have no entity_type).
 */
interface PresidioBox {
  entity_type: string;
  score?: number;
  left: number;
  top: number;
  width: number;
  height: number;
  text?: string;
  label?: string;
}

const ENTITY: Record<LabelCategory, string> = {
  laterality: 'LATERALITY',
  technologist: 'TECHNOLOGIST',
  other: 'OTHER',
};

function entityToCategory(t: string): LabelCategory {
  const s = t.trim().toUpperCase();
  if (s === 'LATERALITY') return 'laterality';
  if (s === 'TECHNOLOGIST' || s === 'PERSON') return 'technologist';
  return 'other';
}

/** Accepts {"<file>": [boxes]} or [{"file"|"image"|"path": ..., "bboxes": [boxes]}]. */
export function parsePresidio(v: unknown, file: string): LabelBox[] {
  const groups: [string, unknown][] = Array.isArray(v)
    ? v.map((g, i) => {
        const o = g as Record<string, unknown>;
        const name = o.file ?? o.image ?? o.path;
        if (typeof name !== 'string') throw new Error(`${file}: entry ${i} has no "file"`);
        return [name, o.bboxes ?? o.boxes];
      })
    : Object.entries(v as Record<string, unknown>);
  const out: LabelBox[] = [];
  for (const [name, list] of groups) {
    if (!Array.isArray(list)) throw new Error(`${file}: boxes for ${name} are not a list`);
    list.forEach((raw, i) => {
      const b = raw as PresidioBox;
      const box: LabelBox = {
        file: name.replace(/\\/g, '/'),
        x: Number(b.left),
        y: Number(b.top),
        w: Number(b.width),
        h: Number(b.height),
        category: entityToCategory(String(b.entity_type ?? '')),
      };
      if (b.score !== undefined) box.score = Number(b.score);
      if (b.text !== undefined) box.text = String(b.text);
      else if (typeof b.label === 'string' && b.label.toUpperCase() !== String(b.entity_type ?? '').toUpperCase())
        box.text = b.label;
      out.push(checkBox(box, file, `${name} box ${i}`));
    });
  }
  return out;
}

export function formatPresidio(boxes: readonly LabelBox[]): Record<string, PresidioBox[]> {
  const out: Record<string, PresidioBox[]> = {};
  for (const b of boxes) {
    const p: PresidioBox = { entity_type: ENTITY[b.category], left: b.x, top: b.y, width: b.w, height: b.h };
    if (b.score !== undefined) p.score = b.score;
    if (b.text !== undefined) p.text = b.text;
    (out[b.file] ??= []).push(p);
  }
  return out;
}
