/** The truth table of a synthetic dataset (one row per image) and what can be computed from it alone. */
import type { Split } from '../data/index.js';
import { auc } from './auc.js';
import type { DatasetMeta } from './types.js';

export const TRUTH_COLUMNS = [
  'path',
  'split',
  'patient',
  'study',
  'part',
  'abnormal',
  'finding',
  'laterality',
  'technologist',
  'marker_style',
  'marker_font',
  'technologist_font',
  'view',
  'p_abnormal',
  'finding_strength',
] as const;
export type TruthRow = Record<(typeof TRUTH_COLUMNS)[number], string>;

export function truthRows(meta: DatasetMeta): TruthRow[] {
  return meta.studies.flatMap((s) =>
    s.images.map((im) => ({
      path: im.path,
      split: s.split,
      patient: s.patient,
      study: s.folder,
      part: s.part,
      abnormal: s.abnormal ? '1' : '0',
      finding: s.finding?.kind ?? 'none',
      laterality: s.laterality,
      technologist: s.technologist.initials,
      marker_style: s.markerStyle,
      marker_font: s.markerFont,
      technologist_font: s.technologist.font,
      view: im.view,
      p_abnormal: s.pAbnormal.toFixed(6),
      finding_strength: s.finding ? s.finding.strength.toFixed(4) : '',
    })),
  );
}

/**
 * AUC on `split` of an ideal classifier that sees only the labels: its score is P(abnormal | technologist,
 * marker style) estimated on train (Laplace-smoothed rates; unseen pairs get the train prevalence).
 */
export function labelsOnlyAuc(
  rows: readonly Pick<TruthRow, 'split' | 'abnormal' | 'technologist' | 'marker_style'>[],
  split: Split = 'test',
): number {
  const key = (r: Pick<TruthRow, 'technologist' | 'marker_style'>) => `${r.technologist}|${r.marker_style}`;
  const counts = new Map<string, [number, number]>();
  let pos = 0,
    n = 0;
  for (const r of rows) {
    if (r.split !== 'train') continue;
    const c = counts.get(key(r)) ?? [0, 0];
    c[0] += Number(r.abnormal);
    c[1] += 1;
    counts.set(key(r), c);
    pos += Number(r.abnormal);
    n++;
  }
  const prior = n > 0 ? pos / n : 0.5;
  const target = rows.filter((r) => r.split === split);
  const scores = target.map((r) => {
    const c = counts.get(key(r));
    return c ? (c[0] + prior) / (c[1] + 1) : prior;
  });
  return auc(
    scores,
    target.map((r) => Number(r.abnormal)),
  );
}

export interface SplitSummary {
  images: number;
  studies: number;
  patients: number;
  abnormal_images: number;
  abnormal_studies: number;
  /** Share of abnormal images. */
  prevalence: number;
  per_part: Record<string, { images: number; studies: number }>;
}

export function summarizeTruth(rows: readonly TruthRow[]): Record<Split, SplitSummary> {
  const out = {} as Record<Split, SplitSummary>;
  for (const split of ['train', 'valid', 'test'] as const) {
    const r = rows.filter((x) => x.split === split);
    const studies = new Set(r.map((x) => x.study));
    const per_part: Record<string, { images: number; studies: number }> = {};
    const seen = new Set<string>();
    for (const x of r) {
      const p = (per_part[x.part] ??= { images: 0, studies: 0 });
      p.images++;
      if (!seen.has(x.study)) {
        seen.add(x.study);
        p.studies++;
      }
    }
    const abnormal = r.filter((x) => x.abnormal === '1');
    out[split] = {
      images: r.length,
      studies: studies.size,
      patients: new Set(r.map((x) => x.patient)).size,
      abnormal_images: abnormal.length,
      abnormal_studies: new Set(abnormal.map((x) => x.study)).size,
      prevalence: r.length ? Number((abnormal.length / r.length).toFixed(4)) : 0,
      per_part: Object.fromEntries(Object.entries(per_part).sort(([a], [b]) => a.localeCompare(b))),
    };
  }
  return out;
}
