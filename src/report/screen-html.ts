/**
 * The screen's report (`confound screen --html`): one self-contained page with the ranked columns as a bar chart
 * of the bias-corrected V and its 95% CI, the flags, and one line of advice per column; leakage, identifiers and
 * untestable columns listed apart.
 */
import type { ScreenColumn, ScreenResult } from '../stats/index.js';
import { escapeHtml as esc, fmt, pct } from './format.js';

const n1 = (v: number) => Number(v.toFixed(1));

function group(c: ScreenColumn): 'ranked' | 'leakage' | 'identifier' | 'untested' {
  if (c.kind === 'identifier') return 'identifier';
  if (c.effect === null || c.flags.includes('constant')) return 'untested';
  return c.flags.includes('leakage') ? 'leakage' : 'ranked';
}

/** Horizontal bars of V in [0, 1] with CI whiskers, one row per column, in the given order. */
export function effectChart(cols: readonly ScreenColumn[], width = 720): string {
  const row = 22,
    left = 200,
    right = 60,
    top = 24;
  const w = width - left - right,
    h = top + row * cols.length + 8;
  const X = (v: number) => n1(left + Math.max(0, Math.min(1, v)) * w);
  const parts: string[] = [];
  for (let i = 0; i <= 10; i += 2) {
    const v = i / 10;
    parts.push(
      `<line x1="${X(v)}" y1="${top - 6}" x2="${X(v)}" y2="${h - 4}" class="grid"/><text x="${X(v)}" y="${top - 10}" text-anchor="middle">${v.toFixed(1)}</text>`,
    );
  }
  cols.forEach((c, i) => {
    const y = top + i * row;
    const v = c.effect ?? 0;
    const cls = c.flags.includes('leakage') ? 'bar leak' : 'bar';
    parts.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(c.column)}</text>`);
    parts.push(
      `<rect x="${X(0)}" y="${y + 4}" width="${n1(X(v) - X(0))}" height="${row - 8}" class="${cls}"><title>${esc(c.column)}: V ${fmt(v, 3)}</title></rect>`,
    );
    if (c.ci)
      parts.push(`<line x1="${X(c.ci[0])}" y1="${y + row / 2}" x2="${X(c.ci[1])}" y2="${y + row / 2}" class="ci"/>`);
    parts.push(`<text x="${X(c.ci ? c.ci[1] : v) + 6}" y="${y + 15}">${fmt(v, 2)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" role="img" aria-label="effect sizes">${parts.join('')}</svg>`;
}

function table(cols: readonly ScreenColumn[]): string {
  const rows = cols.map(
    (c) =>
      `<tr><td>${esc(c.column)}</td><td>${c.kind}</td><td>${c.effect === null ? '–' : `${fmt(c.effect, 3)}${c.ci ? ` (${fmt(c.ci[0], 3)}–${fmt(c.ci[1], 3)})` : ''}`}</td>` +
      `<td>${c.auc === undefined ? '–' : `${fmt(c.auc, 3)}${c.auc_ci ? ` (${fmt(c.auc_ci[0], 3)}–${fmt(c.auc_ci[1], 3)})` : ''}`}</td>` +
      `<td>${c.p === null ? '–' : c.p < 1e-4 ? c.p.toExponential(1) : c.p.toFixed(4)}</td><td>${pct(c.missing_share)}</td><td>${c.levels}</td>` +
      `<td>${c.flags.map((f) => `<span class="flag ${f === 'leakage' ? 'leak' : ''}">${esc(f)}</span>`).join(' ')}</td><td>${esc(c.advice)}</td></tr>`,
  );
  return `<table><thead><tr><th>column</th><th>kind</th><th>V (95% CI)</th><th>AUC (95% CI)</th><th>p</th><th>blank</th><th>levels</th><th>flags</th><th>what to do</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export function screenHtml(r: ScreenResult, source: string): string {
  const by = {
    ranked: [] as ScreenColumn[],
    leakage: [] as ScreenColumn[],
    identifier: [] as ScreenColumn[],
    untested: [] as ScreenColumn[],
  };
  for (const c of r.columns) by[group(c)].push(c);
  const section = (title: string, note: string, cols: ScreenColumn[], chart: boolean) =>
    cols.length ? `<h2>${title}</h2><p>${note}</p>${chart ? effectChart(cols) : ''}${table(cols)}` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>confound screen: ${esc(source)}</title><style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;max-width:1200px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}
td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f4f4f4}
svg text{font-size:12px;fill:#333}.grid{stroke:#e4e4e4}.bar{fill:#1f5fa8}.bar.leak{fill:#c8324b}.ci{stroke:#111;stroke-width:2}
.flag{display:inline-block;background:#eee;border-radius:3px;padding:0 4px;margin:1px;font-size:12px}.flag.leak{background:#f6cdd4}
</style></head><body><h1>Which columns predict "${esc(r.outcome)}"?</h1>
<p>${esc(source)}: ${r.n} rows with an outcome (positive "${esc(r.positive)}")${r.outcomeMissing ? `, ${r.outcomeMissing} without one skipped` : ''}.
Effect: ${esc(r.effect_measure)}, with a 95% Poisson-bootstrap CI; numeric and date columns cut into quantile bins for V, and
with their AUC (DeLong CI) and Mann-Whitney p. Blank cells are a level when blank-versus-present predicts the outcome.${r.patient ? ` Patient key: ${esc(r.patient)}.` : ''}</p>
${section('Confounders, strongest first', 'Columns that predict the outcome without determining it: stratify, or cover them where they are burned into the image.', by.ranked, true)}
${section('Leakage', 'These (almost) determine the outcome: a proxy of the label or something recorded after it. Remove them.', by.leakage, true)}
${section('Identifiers', 'Not tested: one value per row or per patient, or named as an id. Use them to group rows (split by patient); <code>--keep COL</code> tests one anyway.', by.identifier, false)}
${section('Not testable', 'Empty, constant, or present for one outcome only.', by.untested, false)}
</body></html>
`;
}
