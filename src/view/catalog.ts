import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { camStem } from '../study/index.js';
import type { StudyData } from '../report/index.js';
import { isNum } from '../report/index.js';

/** What the viewer knows about one test image, across arms. */
export interface ViewerImage {
  id: string;
  label?: 0 | 1;
  arms: Record<string, { score?: number; attention?: number | null; overlay?: string }>;
  /** Counterfactual |p(covered) - p(original)| for the original model. */
  dp?: number;
  /** Largest |score difference| between any two arms. */
  disagreement?: number;
  /** When the detector found the study's boxes: whether it found no label on this image (absent otherwise). */
  noLabel?: boolean;
}

/** Every test image from the score files (original arm's order first), with each arm's score, attention and overlay path. */
export function buildCatalog(data: StudyData): ViewerImage[] {
  const byId = new Map<string, ViewerImage>();
  const get = (id: string) => byId.get(id) ?? byId.set(id, { id, arms: {} }).get(id)!;
  for (const arm of data.arms) {
    for (const r of data.scores.get(arm) ?? []) {
      const im = get(r.id);
      im.label ??= r.label;
      (im.arms[arm] ??= {}).score = r.score;
    }
    for (const e of data.attention.get(arm) ?? []) {
      const im = get(e.id);
      if (im.label === undefined && (e.label === 0 || e.label === 1)) im.label = e.label;
      const a = (im.arms[arm] ??= {});
      a.attention = isNum(e.label_attention) ? e.label_attention : null;
      const file = e.overlay ?? `${camStem(e.id)}.png`;
      // Paths are relative to the study folder and served from /files/study/.
      if (existsSync(join(data.dir, 'cam', arm, file))) a.overlay = `cam/${arm}/${file}`;
    }
  }
  for (const c of data.counterfactualImages) {
    const im = byId.get(c.id);
    if (im && isNum(c.p_covered) && isNum(c.p_original)) im.dp = Math.abs(c.p_covered - c.p_original);
  }
  for (const im of byId.values()) {
    const s = Object.values(im.arms)
      .map((a) => a.score)
      .filter(isNum);
    if (s.length >= 2) im.disagreement = Math.max(...s) - Math.min(...s);
  }
  const det = data.results.detector;
  const noLabel = det && 'run' in det && det.run ? new Set(det.run.no_label_images) : null;
  if (noLabel) for (const im of byId.values()) im.noLabel = noLabel.has(im.id);
  return [...byId.values()];
}
