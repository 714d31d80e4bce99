import { fmt, isNum, pct, pText } from './format.js';
import type { ArmRow, CounterfactualSummary, Effect, ResultsFile } from './types.js';

/** What the numbers say, each judged separately; undefined where the study lacks the arm or the measure. */
export interface Evidence {
  /** Original model's label attention: at least twice chance, with its CI above chance. */
  attention?: boolean;
  /** Covering the labels moves the original model's answers at least twice as much as the random-cover control (and by >= 0.02). */
  counterfactual?: boolean;
  /** The covered arm's AUC differs from the original's at p < 0.05. */
  aucChange?: boolean;
  /** The labels-only arm's AUC CI lies above 0.5. */
  labelsPredict?: boolean;
}

const arm = (r: ResultsFile, name: string): ArmRow | undefined => r.arms?.find((a) => a.name === name);

/** The covered-image effect and its control, whether results.json nests them or spreads them at the top level. */
export function counterfactualEffects(cf: CounterfactualSummary | null | undefined): { covered?: Effect; control?: Effect } {
  if (!cf) return {};
  const covered = cf.covered ?? (isNum(cf.mean_abs_delta) ? { mean_abs_delta: cf.mean_abs_delta, flip_rate: cf.flip_rate, mean_delta: cf.mean_delta } : undefined);
  return { covered, control: cf.random_cover };
}

export function judge(r: ResultsFile): Evidence {
  const e: Evidence = {};
  const o = arm(r, 'original'), c = arm(r, 'covered'), l = arm(r, 'labels-only');
  if (o && isNum(o.label_attention) && isNum(o.chance)) {
    // Blurry maps spill onto boxes a little even when unused, so require twice chance as well as a CI above it.
    const above = o.label_attention_ci && isNum(o.label_attention_ci[0]) ? o.label_attention_ci[0] > o.chance : true;
    e.attention = above && o.label_attention >= 2 * o.chance;
  }
  const { covered, control } = counterfactualEffects(r.counterfactual);
  if (covered && isNum(covered.mean_abs_delta)) {
    const base = control && isNum(control.mean_abs_delta) ? control.mean_abs_delta : 0;
    e.counterfactual = covered.mean_abs_delta >= 0.02 && covered.mean_abs_delta >= 2 * base;
  }
  if (c && isNum(c.p_vs_original)) e.aucChange = c.p_vs_original < 0.05;
  if (l && l.ci && isNum(l.ci[0])) e.labelsPredict = l.ci[0] > 0.5;
  return e;
}

/**
 * A short plain-language reading of the study, built only from its numbers: a verdict, then one sentence per
 * measure (attention, counterfactual, AUC change, labels-only), and what is missing.
 */
export function conclusion(r: ResultsFile): string[] {
  const o = arm(r, 'original'), c = arm(r, 'covered'), l = arm(r, 'labels-only');
  const e = judge(r);
  const out: string[] = [];
  if (!o) return ['The original arm has no results, so nothing can be concluded about label reliance.'];

  const reliance = [e.attention, e.counterfactual].filter((v) => v !== undefined);
  const yes = reliance.filter(Boolean).length;
  if (reliance.length === 0) out.push('Neither label attention nor the counterfactual test is available, so reliance on labels cannot be judged directly.');
  else if (yes === reliance.length) out.push('The original model relies on the burned-in labels.');
  else if (yes === 0) out.push('There is no sign that the original model relies on the burned-in labels.');
  else out.push('The evidence on label reliance is mixed: one measure points to it, the other does not.');

  if (isNum(o.label_attention)) {
    const cov = c && isNum(c.label_attention) ? ` vs ${pct(c.label_attention)} for the covered model` : '';
    const ch = isNum(o.chance) ? ` (chance ${pct(o.chance)}, the share of the image the boxes cover)` : '';
    const pg = isNum(o.pointing_game) ? `; its heatmap peak falls on a label in ${pct(o.pointing_game)} of images` : '';
    out.push(`${pct(o.label_attention)} of the original model's saliency mass lies on label boxes${cov}${ch}${pg}.`);
  } else out.push('Label attention was not measured for the original model.');

  const { covered, control } = counterfactualEffects(r.counterfactual);
  if (covered && isNum(covered.mean_abs_delta)) {
    const ctl = control && isNum(control.mean_abs_delta) ? ` (random-cover control ${fmt(control.mean_abs_delta, 3)})` : ' (no random-cover control)';
    const flips = isNum(covered.flip_rate) ? ` and flips ${pct(covered.flip_rate)} of decisions at 0.5` : '';
    const auc = r.counterfactual && isNum(r.counterfactual.auc_original) && isNum(r.counterfactual.auc_covered)
      ? `; its AUC on covered images is ${fmt(r.counterfactual.auc_covered, 3)} vs ${fmt(r.counterfactual.auc_original, 3)}${isNum(r.counterfactual.p) ? ` (${pText(r.counterfactual.p)})` : ''}` : '';
    out.push(`Covering the labels at test time changes the original model's answers by mean |Δp| = ${fmt(covered.mean_abs_delta, 3)}${ctl}${flips}${auc}.`);
  } else out.push('The counterfactual cover test was not run.');

  if (c && isNum(c.auc) && isNum(o.auc)) {
    const d = c.auc - o.auc;
    const dir = Math.abs(d) < 0.005 ? 'about the same as' : d < 0 ? 'lower than' : 'higher than';
    const sig = isNum(c.p_vs_original) ? ` (${pText(c.p_vs_original)}, paired DeLong${e.aucChange ? '' : ': not a significant difference'})` : '';
    out.push(`A model trained with the labels covered reaches AUC ${fmt(c.auc, 3)}, ${dir} the original model's ${fmt(o.auc, 3)}${sig}.`);
  } else out.push(c ? 'The covered arm has no AUC in results.json, so whether the model does as well without labels is unknown.'
    : 'The covered arm was not run, so whether the model does as well without labels is unknown.');

  if (l && isNum(l.auc)) {
    const ci = l.ci && isNum(l.ci[0]) && isNum(l.ci[1]) ? ` (95% CI ${fmt(l.ci[0], 2)}–${fmt(l.ci[1], 2)})` : '';
    out.push(e.labelsPredict
      ? `A model that sees only the labels reaches AUC ${fmt(l.auc, 3)}${ci}: the labels predict the outcome in this data.`
      : `A model that sees only the labels reaches AUC ${fmt(l.auc, 3)}${ci}, no better than chance: the labels alone do not predict the outcome here.`);
  } else out.push(l ? 'The labels-only arm has no AUC in results.json, so whether the labels alone predict the outcome is unknown.'
    : 'The labels-only arm was not run, so whether the labels alone predict the outcome is unknown.');
  return out;
}
