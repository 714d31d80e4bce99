import type { StudyResults } from './folder.js';

const f = (x: number | null | undefined, d = 3) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '–');
const pc = (x: number | null | undefined) =>
  typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–';

/** The few lines the CLI prints when a study ends, read from results.json's contract. */
export function studySummaryLines(r: StudyResults): string[] {
  const lines = r.arms.map(
    (a) =>
      `  ${a.name.padEnd(18)} AUC ${f(a.auc)} (${f(a.ci[0])}-${f(a.ci[1])})` +
      `${a.p_vs_original !== null ? `  p vs original ${a.p_vs_original.toPrecision(2)}` : ''}` +
      `  label attention ${pc(a.label_attention)} (chance ${pc(a.attention_chance)})`,
  );
  const c = r.counterfactual;
  if (c) {
    lines.push(
      `  counterfactual (original model): covering labels |dp| ${f(c.covered.mean_abs_delta)}, flips ${pc(c.covered.flip_rate)};` +
        ` random-cover control |dp| ${f(c.random_cover.mean_abs_delta)}, flips ${pc(c.random_cover.flip_rate)}; verdict ${c.verdict.reliance}`,
    );
  }
  const at = r.by_category.attribution;
  if (at) {
    const shares = Object.entries(at.categories)
      .map(([k, v]) => `${k} ${v.share_of_effect === null ? '–' : `${(100 * v.share_of_effect).toFixed(0)}%`}`)
      .join(', ');
    lines.push(
      `  by category: share of the cover effect ${shares}; attributed to ${at.attributed_to.join(' and ') || 'none'}`,
    );
  }
  lines.push(
    `  verdict: label reliance ${r.verdict.label_reliance} (attention ${r.verdict.evidence.attention ?? '–'}, cover test ${r.verdict.counterfactual ?? '–'})`,
  );
  return lines;
}
