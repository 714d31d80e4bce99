/** Detection quality against true boxes: greedy score-ordered matching at an IoU threshold. */
import type { LabelBox, LabelCategory } from '../types.js';
import { LABEL_CATEGORIES } from '../types.js';
import { trueMarkerSide } from './side.js';

type Rect = Pick<LabelBox, 'x' | 'y' | 'w' | 'h'>;

export function iou(a: Rect, b: Rect): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

export interface Match {
  pred: LabelBox;
  truth: LabelBox;
  iou: number;
}

/**
 * Match predictions to truths image by image: predictions in descending score order each take the unmatched
 * truth of highest IoU, if that IoU reaches `minIou` (category-agnostic, as the label is found or not).
 */
export function matchBoxes(
  preds: readonly LabelBox[],
  truths: readonly LabelBox[],
  minIou = 0.5,
): { matches: Match[]; unmatchedPreds: LabelBox[]; unmatchedTruths: LabelBox[] } {
  const byFile = new Map<string, LabelBox[]>();
  for (const t of truths) (byFile.get(t.file) ?? byFile.set(t.file, []).get(t.file)!).push(t);
  const used = new Set<LabelBox>();
  const matches: Match[] = [];
  const unmatchedPreds: LabelBox[] = [];
  const order = [...preds].sort((a, b) => (b.score ?? 1) - (a.score ?? 1));
  for (const p of order) {
    let best: LabelBox | undefined,
      bestIou = minIou;
    for (const t of byFile.get(p.file) ?? []) {
      if (used.has(t)) continue;
      const v = iou(p, t);
      if (v >= bestIou) {
        best = t;
        bestIou = v;
      }
    }
    if (best) {
      used.add(best);
      matches.push({ pred: p, truth: best, iou: bestIou });
    } else unmatchedPreds.push(p);
  }
  return { matches, unmatchedPreds, unmatchedTruths: truths.filter((t) => !used.has(t)) };
}

export interface CategoryScore {
  truths: number;
  predictions: number;
  precision: number;
  recall: number;
}

export interface Evaluation {
  images: number;
  truths: number;
  predictions: number;
  precision: number;
  recall: number;
  f1: number;
  /** Mean IoU of matched pairs. */
  mean_iou: number;
  /** Per category: recall = true boxes found and given their category; precision = boxes given the category that are one. */
  by_category: Record<LabelCategory, CategoryScore>;
  /** Of found laterality markers that read L or R in truth, the share read correctly ("unknown" counts wrong). */
  lr_accuracy: number;
  lr_total: number;
  /** Share of found laterality markers given a reading at all. */
  lr_read_rate: number;
  /**
   * Of found laterality markers with any side a person can read in truth (L/R, Spanish D/I, Italian D/DX/S/SX:
   * side.ts), the share whose reading (the side, L or R) is right; side_read_rate as lr_read_rate.
   */
  side_accuracy: number;
  side_total: number;
  side_read_rate: number;
  /** Of found labels, the share whose category is right. */
  category_accuracy: number;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 1);

export function evaluate(
  preds: readonly LabelBox[],
  truths: readonly LabelBox[],
  images: number,
  minIou = 0.5,
): Evaluation {
  const { matches } = matchBoxes(preds, truths, minIou);
  const precision = ratio(matches.length, preds.length);
  const recall = ratio(matches.length, truths.length);
  const by_category = {} as Record<LabelCategory, CategoryScore>;
  for (const cat of LABEL_CATEGORIES) {
    const t = truths.filter((b) => b.category === cat).length;
    const p = preds.filter((b) => b.category === cat).length;
    const hit = matches.filter((m) => m.truth.category === cat && m.pred.category === cat).length;
    by_category[cat] = { truths: t, predictions: p, precision: ratio(hit, p), recall: ratio(hit, t) };
  }
  const lr = matches.filter((m) => m.truth.category === 'laterality' && (m.truth.text === 'L' || m.truth.text === 'R'));
  // only a box called laterality is read as L/R (other boxes' text is initials or free text)
  const readLr = (m: Match) => (m.pred.category === 'laterality' ? m.pred.text : undefined);
  const lrRight = lr.filter((m) => readLr(m) === m.truth.text).length;
  const lrRead = lr.filter((m) => readLr(m) === 'L' || readLr(m) === 'R').length;
  const sided = matches.filter((m) => trueMarkerSide(m.truth));
  const sideRight = sided.filter((m) => readLr(m) === trueMarkerSide(m.truth)).length;
  const sideRead = sided.filter((m) => readLr(m) === 'L' || readLr(m) === 'R').length;
  return {
    images,
    truths: truths.length,
    predictions: preds.length,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    mean_iou: matches.length ? matches.reduce((s, m) => s + m.iou, 0) / matches.length : 0,
    by_category,
    lr_accuracy: ratio(lrRight, lr.length),
    lr_total: lr.length,
    lr_read_rate: ratio(lrRead, lr.length),
    side_accuracy: ratio(sideRight, sided.length),
    side_total: sided.length,
    side_read_rate: ratio(sideRead, sided.length),
    category_accuracy: ratio(matches.filter((m) => m.pred.category === m.truth.category).length, matches.length),
  };
}
