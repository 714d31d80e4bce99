/**
 * Label coverage: what masking needs, rather than box-for-box matching. A true box is covered when the union of
 * the predicted boxes of its image covers at least `minCovered` of its area (two half boxes cover a word, one
 * large box covers two labels); a predicted box is right when at least `minOnTruth` of its area lies on the union
 * of the image's true boxes, each grown by `grow` pixels (hand-drawn boxes fit the glyphs tightly).
 */
import type { LabelBox, LabelCategory } from '../types.js';
import { LABEL_CATEGORIES } from '../types.js';
import { isLrText, trueMarkerSide, type Side } from './side.js';

type Rect = Pick<LabelBox, 'x' | 'y' | 'w' | 'h'>;

export interface CoverageOptions {
  minCovered?: number;
  minOnTruth?: number;
  grow?: number;
}
export const COVERAGE_DEFAULTS: Required<CoverageOptions> = { minCovered: 0.8, minOnTruth: 0.5, grow: 4 };

/** Area of `target` covered by the union of `cover` (exact, by the grid of all the boxes' edges). */
export function coveredArea(target: Rect, cover: readonly Rect[]): number {
  const x0 = target.x,
    y0 = target.y,
    x1 = target.x + target.w,
    y1 = target.y + target.h;
  const clipped = cover
    .map((r) => ({
      x0: Math.max(x0, r.x),
      y0: Math.max(y0, r.y),
      x1: Math.min(x1, r.x + r.w),
      y1: Math.min(y1, r.y + r.h),
    }))
    .filter((r) => r.x1 > r.x0 && r.y1 > r.y0);
  if (!clipped.length) return 0;
  const xs = [...new Set(clipped.flatMap((r) => [r.x0, r.x1]))].sort((a, b) => a - b);
  const ys = [...new Set(clipped.flatMap((r) => [r.y0, r.y1]))].sort((a, b) => a - b);
  let area = 0;
  for (let i = 0; i + 1 < xs.length; i++) {
    const cx = (xs[i] + xs[i + 1]) / 2;
    for (let j = 0; j + 1 < ys.length; j++) {
      const cy = (ys[j] + ys[j + 1]) / 2;
      if (clipped.some((r) => cx > r.x0 && cx < r.x1 && cy > r.y0 && cy < r.y1))
        area += (xs[i + 1] - xs[i]) * (ys[j + 1] - ys[j]);
    }
  }
  return area;
}

/** Share of a box's area covered by the union of others (1 for an empty box: nothing of it is left uncovered). */
export function coveredShare(target: Rect, cover: readonly Rect[]): number {
  const a = target.w * target.h;
  return a > 0 ? coveredArea(target, cover) / a : 1;
}

export interface CoverageScore {
  truths: number;
  covered: number;
  predictions: number;
  right: number;
  /** covered / truths and right / predictions (1 when there is nothing to count). */
  recall: number;
  precision: number;
}

export interface Coverage extends CoverageScore {
  /** Recall over the true boxes of a category; precision over the predicted boxes given it. */
  by_category: Record<LabelCategory, CoverageScore>;
  /** By top-level folder of the image path ("." for images at the root). */
  by_folder: Record<string, CoverageScore>;
  /**
   * L/R reading on covered laterality markers whose true text starts with the letter L or R ("L", "R in circle"):
   * the found laterality box covering most of each is read right, read wrong, or not read.
   */
  lr: SideReading;
  /**
   * The same over every covered marker with a side a person can read (side.ts: L/R, Spanish D/I, Italian
   * D/DX/S/SX, "Left"): a found box's text is the side it reads.
   */
  sides: SideReading;
  /** True boxes left uncovered and predicted boxes that are wrong, for looking at. */
  missed: LabelBox[];
  wrong: LabelBox[];
}

export interface SideReading {
  markers: number;
  right: number;
  wrong: number;
  unread: number;
  accuracy: number;
}

const grown = (r: Rect, g: number): Rect => ({ x: r.x - g, y: r.y - g, w: r.w + 2 * g, h: r.h + 2 * g });
const folderOf = (file: string) => {
  const i = file.indexOf('/');
  return i > 0 ? file.slice(0, i) : '.';
};

function byFile(boxes: readonly LabelBox[]): Map<string, LabelBox[]> {
  const m = new Map<string, LabelBox[]>();
  for (const b of boxes) (m.get(b.file) ?? m.set(b.file, []).get(b.file)!).push(b);
  return m;
}

function score(truths: LabelBox[], covered: Set<LabelBox>, preds: LabelBox[], right: Set<LabelBox>): CoverageScore {
  const c = truths.filter((t) => covered.has(t)).length,
    r = preds.filter((p) => right.has(p)).length;
  return {
    truths: truths.length,
    covered: c,
    predictions: preds.length,
    right: r,
    recall: truths.length ? c / truths.length : 1,
    precision: preds.length ? r / preds.length : 1,
  };
}

/** Coverage of `truths` by `preds` (category-agnostic: a label is covered or not, whatever it is called). */
export function coverage(
  preds: readonly LabelBox[],
  truths: readonly LabelBox[],
  opts: CoverageOptions = {},
): Coverage {
  const o = { ...COVERAGE_DEFAULTS, ...opts };
  const predsOf = byFile(preds),
    truthsOf = byFile(truths);
  const covered = new Set<LabelBox>(),
    right = new Set<LabelBox>();
  for (const t of truths) if (coveredShare(t, predsOf.get(t.file) ?? []) >= o.minCovered) covered.add(t);
  for (const p of preds) {
    const grownTruths = (truthsOf.get(p.file) ?? []).map((t) => grown(t, o.grow));
    // an empty predicted box lies on a truth when it sits inside one
    const share =
      p.w * p.h > 0
        ? coveredShare(p, grownTruths)
        : grownTruths.some((t) => p.x >= t.x && p.x <= t.x + t.w && p.y >= t.y && p.y <= t.y + t.h)
          ? 1
          : 0;
    if (share >= o.minOnTruth) right.add(p);
  }
  const all = score([...truths], covered, [...preds], right);
  const by_category = {} as Record<LabelCategory, CoverageScore>;
  for (const cat of LABEL_CATEGORIES) {
    by_category[cat] = score(
      truths.filter((t) => t.category === cat),
      covered,
      preds.filter((p) => p.category === cat),
      right,
    );
  }
  const folders = [...new Set([...truths, ...preds].map((b) => folderOf(b.file)))].sort();
  const by_folder: Record<string, CoverageScore> = {};
  for (const f of folders) {
    by_folder[f] = score(
      truths.filter((t) => folderOf(t.file) === f),
      covered,
      preds.filter((p) => folderOf(p.file) === f),
      right,
    );
  }
  return {
    ...all,
    by_category,
    by_folder,
    lr: sideReading(
      predsOf,
      truths.filter((t) => covered.has(t) && isLrText(t)),
    ),
    sides: sideReading(
      predsOf,
      truths.filter((t) => covered.has(t)),
    ),
    missed: truths.filter((t) => !covered.has(t)),
    wrong: preds.filter((p) => !right.has(p)),
  };
}

/** Markers read right, wrong (the other side) and not at all, of markers each with its true side and the side read. */
export function tallySides(reads: readonly { side: Side; read?: Side }[]): SideReading {
  const right = reads.filter((r) => r.read === r.side).length,
    wrong = reads.filter((r) => r.read !== undefined && r.read !== r.side).length;
  return {
    markers: reads.length,
    right,
    wrong,
    unread: reads.length - right - wrong,
    accuracy: reads.length ? right / reads.length : 1,
  };
}

/** How the found laterality box covering most of each marker reads it (markers without a side are skipped). */
function sideReading(predsOf: Map<string, LabelBox[]>, markers: LabelBox[]): SideReading {
  const reads: { side: Side; read?: Side }[] = [];
  for (const t of markers) {
    const side: Side | undefined = trueMarkerSide(t);
    if (!side) continue;
    let best: LabelBox | undefined,
      bestArea = 0;
    for (const p of predsOf.get(t.file) ?? []) {
      if (p.category !== 'laterality') continue;
      const a = coveredArea(t, [p]);
      if (a > bestArea) {
        best = p;
        bestArea = a;
      }
    }
    reads.push({ side, read: best?.text === 'L' || best?.text === 'R' ? best.text : undefined });
  }
  return tallySides(reads);
}
