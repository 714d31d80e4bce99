import { fmt, isNum, pct, pText } from './format.js';
import type { StudyResults } from '../study/index.js';

const RELIANCE: Record<StudyResults['verdict']['label_reliance'], string> = {
  yes: 'The original model relies on the burned-in labels.',
  no: 'There is no sign that the original model relies on the burned-in labels.',
  mixed: 'The evidence on label reliance is mixed: one measure points to it, the other does not.',
  unknown:
    'Neither label attention nor the counterfactual test is available, so reliance on labels cannot be judged directly.',
};

/**
 * A short plain-language reading of the study: the verdict the study stored (results.json's verdict), then one
 * sentence per measure (attention, counterfactual, AUC change, labels-only).
 */
export function conclusion(r: StudyResults): string[] {
  const arm = (name: string) => r.arms.find((a) => a.name === name);
  const o = arm('original'),
    c = arm('covered'),
    l = arm('labels-only');
  if (!o) return ['The original arm has no results, so nothing can be concluded about label reliance.'];
  const e = r.verdict.evidence;
  const out = [RELIANCE[r.verdict.label_reliance]];

  if (isNum(o.label_attention)) {
    const cov = c && isNum(c.label_attention) ? ` vs ${pct(c.label_attention)} for the covered model` : '';
    const ratio =
      isNum(o.attention_chance) && o.attention_chance > 0
        ? `, ${(o.label_attention / o.attention_chance).toFixed(1)}× chance`
        : '';
    const ch = isNum(o.attention_chance)
      ? ` (chance ${pct(o.attention_chance)}, the share of the image the boxes cover${ratio})`
      : '';
    const pg = isNum(o.pointing_game) ? `; its heatmap peak falls on a label in ${pct(o.pointing_game)} of images` : '';
    const judged =
      e.attention === null
        ? ''
        : e.attention
          ? ' That is reliance by this measure.'
          : ' That is not reliance by this measure.';
    out.push(
      `${pct(o.label_attention)} of the original model's saliency mass lies on label boxes${cov}${ch}${pg}.${judged}`,
    );
  } else out.push('Label attention was not measured for the original model (no test image has a label box).');

  const cf = r.counterfactual;
  if (cf && isNum(cf.covered.mean_abs_delta)) {
    const ctl = isNum(cf.random_cover.mean_abs_delta)
      ? ` (random-cover control ${fmt(cf.random_cover.mean_abs_delta, 3)})`
      : '';
    const flips = isNum(cf.covered.flip_rate) ? ` and flips ${pct(cf.covered.flip_rate)} of decisions at 0.5` : '';
    const auc =
      isNum(cf.auc_original) && isNum(cf.auc_covered)
        ? `; its AUC on covered images is ${fmt(cf.auc_covered, 3)} vs ${fmt(cf.auc_original, 3)}${isNum(cf.p) ? ` (${pText(cf.p)})` : ''}`
        : '';
    out.push(
      `Covering the labels at test time changes the original model's answers by mean |Δp| = ${fmt(cf.covered.mean_abs_delta, 3)}${ctl}${flips}${auc}; the cover test's verdict: ${cf.verdict.reliance}.`,
    );
  } else out.push('The counterfactual cover test was not run.');

  if (c && isNum(c.auc) && isNum(o.auc)) {
    const d = c.auc - o.auc;
    const dir = Math.abs(d) < 0.005 ? 'about the same as' : d < 0 ? 'lower than' : 'higher than';
    const sig = isNum(c.p_vs_original)
      ? ` (${pText(c.p_vs_original)}, paired DeLong${e.auc_change ? '' : ': not a significant difference'})`
      : '';
    out.push(
      `A model trained with the labels covered reaches AUC ${fmt(c.auc, 3)}, ${dir} the original model's ${fmt(o.auc, 3)}${sig}.`,
    );
  } else
    out.push(
      c
        ? 'The covered arm has no AUC, so whether the model does as well without labels is unknown.'
        : 'The covered arm was not run, so whether the model does as well without labels is unknown.',
    );

  if (l && isNum(l.auc)) {
    const ci = isNum(l.ci[0]) && isNum(l.ci[1]) ? ` (95% CI ${fmt(l.ci[0], 2)}–${fmt(l.ci[1], 2)})` : '';
    out.push(
      e.labels_predict
        ? `A model that sees only the labels reaches AUC ${fmt(l.auc, 3)}${ci}: the labels predict the outcome in this data.`
        : `A model that sees only the labels reaches AUC ${fmt(l.auc, 3)}${ci}, no better than chance: the labels alone do not predict the outcome here.`,
    );
  } else
    out.push(
      l
        ? 'The labels-only arm has no AUC, so whether the labels alone predict the outcome is unknown.'
        : 'The labels-only arm was not run, so whether the labels alone predict the outcome is unknown.',
    );
  return out;
}
