import type { ScoredImage } from '../train/index.js';
import { ARMS, type ArmName } from './arms.js';
import { attributeEffect } from './attribution.js';
import type { ArmAttention } from './attention-step.js';
import { compareArm } from './compare-arms.js';
import type { CounterfactualStep } from './counterfactual-step.js';
import type { ArmResult, ByCategory, StudyResults } from './folder.js';

/** One arm's row of results.json: its AUC against the original's, its training, and where it looks. */
export function armResult(
  arm: ArmName,
  scores: readonly ScoredImage[],
  original: readonly ScoredImage[] | undefined,
  trained: { val_auc: number; best_epoch: number },
  att: ArmAttention,
): ArmResult {
  return {
    name: arm,
    description: ARMS[arm].description,
    ...trained,
    ...compareArm(scores, original, arm),
    label_attention: att.label_attention,
    label_attention_ci: att.label_attention_ci,
    pointing_game: att.pointing_game,
    pointing_game_ci: att.pointing_game_ci,
    attention_chance: att.chance,
    attention_n: att.n,
    attention_by_category: att.by_category,
    gradcam_final_label_attention: att.gradcam_final.label_attention,
    gradcam_final_label_attention_ci: att.gradcam_final.label_attention_ci,
  };
}

/** The original model's cover test as results.json keeps it: the summary with its verdict. */
export function counterfactualResult(cf: CounterfactualStep): StudyResults['counterfactual'] {
  return { ...cf.all, verdict: cf.verdict };
}

/** Per-category arms, cover tests and attention, and which category (if any) carries the label effect. */
export function byCategory(arms: readonly ArmResult[], cf: CounterfactualStep): ByCategory {
  const original = arms.find((a) => a.name === 'original');
  const covered = arms.find((a) => a.name === 'covered');
  const gain = (a: ArmResult) =>
    original?.auc != null && covered?.auc != null && a.auc != null && covered.auc !== original.auc
      ? (a.auc - original.auc) / (covered.auc - original.auc)
      : null;
  // Share of the covered arm's AUC change that covering this category alone reproduces.
  const perArm = arms
    .filter((a) => a.name.startsWith('cover-'))
    .map((a) => ({
      arm: a.name,
      auc: a.auc,
      ci: a.ci,
      p_vs_original: a.p_vs_original,
      share_of_covered_effect: gain(a),
    }));
  const armShares = Object.fromEntries(perArm.map((a) => [a.arm.slice('cover-'.length), a.share_of_covered_effect]));
  return {
    arms: perArm,
    counterfactual: cf.categories,
    attention: original?.attention_by_category ?? {},
    attribution: Object.keys(cf.categories).length ? attributeEffect(cf.all, cf.categories, armShares) : null,
  };
}
