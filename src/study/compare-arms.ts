import { keyedScores, compareScoreSets, type ScoreRow } from '../stats/index.js';
import { aggregateByStudy, cohenKappaBinary } from '../stats/index.js';
import type { ScoredImage } from '../train/index.js';

export interface ArmComparison {
  n: number;
  n_pos: number;
  auc: number;
  ci: [number, number];
  auc_study: number;
  ci_study: [number, number];
  n_study: number;
  kappa_study: number;
  p_vs_original: number | null;
  p_vs_original_study: number | null;
  diff_vs_original: number | null;
}

function asRows(scores: readonly ScoredImage[]): ScoreRow[] {
  return scores.map((s) => {
    if (s.label === '') throw new Error(`image ${s.id} has no label; the study needs labelled test images`);
    return { ...s, label: s.label };
  });
}

/** AUCs with DeLong CIs at image and study level, study-level kappa, and the paired DeLong test against the original arm. */
export function compareArm(
  arm: readonly ScoredImage[],
  original: readonly ScoredImage[] | undefined,
  name: string,
): ArmComparison {
  const rows = asRows(arm);
  const base = original ? asRows(original) : undefined;
  const sets = (level: 'image' | 'study') => [
    ...(base ? [keyedScores(base, 'original', level)] : []),
    keyedScores(rows, name, level),
  ];
  const img = compareScoreSets(sets('image'), 'image');
  const std = compareScoreSets(sets('study'), 'study');
  const k = img.auc.length - 1;
  const studies = aggregateByStudy(rows);
  const kappa = cohenKappaBinary(
    studies.map((s) => s.label),
    studies.map((s) => s.predicted),
  );
  return {
    n: img.n,
    n_pos: img.n_pos,
    auc: img.auc[k],
    ci: img.ci[k],
    auc_study: std.auc[k],
    ci_study: std.ci[k],
    n_study: std.n,
    kappa_study: kappa,
    p_vs_original: base && name !== 'original' ? img.p : null,
    p_vs_original_study: base && name !== 'original' ? std.p : null,
    diff_vs_original: base && name !== 'original' ? img.diff : null,
  };
}
