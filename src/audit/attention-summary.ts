import { bootstrapCi, mean } from '../stats/index.js';
import { signedRankGreater } from './verdict.js';

export interface AttentionShareSummary {
  /** Images whose map had positive mass. */
  n: number;
  /** Mean share of positive map mass inside the label boxes, with a bootstrap 95% CI. */
  label_attention: number;
  ci: [number, number];
  /** Mean share of the input the boxes cover: what an evenly spread map gives. */
  chance: number;
  /** label_attention / chance. */
  ratio: number;
  /** One-sided Wilcoxon signed-rank p for attention > chance, per image. */
  p: number;
  pointing_game: number;
}

/** Label attention of a saliency method over images, against chance (the boxes' area share). */
export function summariseShares(
  rows: readonly { label_attention: number; chance: number; pointing_hit: boolean }[],
  seed: string,
): AttentionShareSummary | null {
  const used = rows.filter((r) => Number.isFinite(r.label_attention));
  if (used.length === 0) return null;
  const att = Float64Array.from(used, (r) => r.label_attention);
  const chance = mean(Float64Array.from(used, (r) => r.chance));
  const ci = bootstrapCi(att, mean, { seed });
  return {
    n: used.length,
    label_attention: ci.estimate,
    ci: ci.ci,
    chance,
    ratio: chance > 0 ? ci.estimate / chance : NaN,
    p: signedRankGreater(used.map((r) => r.label_attention - r.chance)).p,
    pointing_game: used.filter((r) => r.pointing_hit).length / used.length,
  };
}
