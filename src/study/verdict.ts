import type { ArmResult, StudyVerdict } from './folder.js';

const isNum = (x: number | null | undefined): x is number => typeof x === 'number' && Number.isFinite(x);

export const STUDY_RULE =
  'The original model relies on the labels when both measures say so: its label attention is at least twice ' +
  'chance with its 95% CI above chance, and the cover test (covered minus random-cover control) is judged weak or strong. ' +
  'One of the two: mixed; neither: no. The AUC change of the covered arm (paired DeLong p < 0.05) and the labels-only arm ' +
  '(CI above 0.5) are reported beside them, not used for the verdict.';

/**
 * The study's verdict, decided once when the study ends and stored in results.json with its rule; the report
 * and the CLI only read it.
 */
export function studyVerdict(
  arms: readonly ArmResult[],
  counterfactual: 'none' | 'weak' | 'strong' | null,
): StudyVerdict {
  const arm = (name: string) => arms.find((a) => a.name === name);
  const o = arm('original'),
    c = arm('covered'),
    l = arm('labels-only');
  let attention: boolean | null = null;
  if (o && isNum(o.label_attention) && isNum(o.attention_chance) && o.attention_n > 0) {
    // Blurry maps spill onto boxes a little even when unused, so require twice chance as well as a CI above it.
    const lo = o.label_attention_ci[0];
    attention = (isNum(lo) ? lo > o.attention_chance : true) && o.label_attention >= 2 * o.attention_chance;
  }
  const cf = counterfactual === null ? null : counterfactual !== 'none';
  const evidence = {
    attention,
    counterfactual: cf,
    auc_change: c && isNum(c.p_vs_original) ? c.p_vs_original < 0.05 : null,
    labels_predict: l && isNum(l.ci[0]) ? l.ci[0] > 0.5 : null,
  };
  const known = [attention, cf].filter((v): v is boolean => v !== null);
  const yes = known.filter(Boolean).length;
  const label_reliance = known.length === 0 ? 'unknown' : yes === known.length ? 'yes' : yes === 0 ? 'no' : 'mixed';
  return { label_reliance, evidence, counterfactual, rule: STUDY_RULE };
}
