import { quantileSorted } from '../stats/index.js';
import { Rng } from '../util/index.js';
import { escapeHtml as esc, isNum } from './format.js';
import { simplifyRoc, type RocPoint } from './roc.js';
/** A 95% CI as results.json holds it (an end is null where it could not be computed). */
export type Ci = readonly [number | null, number | null];

/** A fixed colour per arm, so every plot and table agrees. */
const ARM_COLORS: Record<string, string> = {
  original: '#1f5fa8',
  covered: '#c8324b',
  'labels-only': '#d08a00',
  'random-cover': '#3c8d5a',
  'cover-laterality': '#7b4fa0',
  'cover-technologist': '#00808f',
};
const SPARE = ['#6b6b6b', '#a0522d', '#2f4f4f', '#b03a8c'];

export function armColor(name: string, index = 0): string {
  return ARM_COLORS[name] ?? SPARE[index % SPARE.length];
}

const n2 = (v: number) => Number(v.toFixed(1));

export interface RocSeries {
  name: string;
  color: string;
  points: readonly RocPoint[];
  auc?: number;
}

/** All arms' ROC curves in one square plot with the chance diagonal and a legend. */
export function rocSvg(series: readonly RocSeries[], size = 460): string {
  const m = { l: 52, r: 16, t: 16, b: 46 };
  const w = size - m.l - m.r,
    h = size - m.t - m.b;
  const X = (f: number) => n2(m.l + f * w),
    Y = (t: number) => n2(m.t + (1 - t) * h);
  const parts: string[] = [];
  for (let i = 0; i <= 10; i += 2) {
    const v = i / 10;
    parts.push(
      `<line x1="${X(v)}" y1="${Y(0)}" x2="${X(v)}" y2="${Y(1)}" class="grid"/><line x1="${X(0)}" y1="${Y(v)}" x2="${X(1)}" y2="${Y(v)}" class="grid"/>`,
    );
    parts.push(
      `<text x="${X(v)}" y="${Y(0) + 16}" text-anchor="middle">${v.toFixed(1)}</text><text x="${X(0) - 6}" y="${Y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`,
    );
  }
  parts.push(`<line x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" class="chance"/>`);
  parts.push(`<rect x="${X(0)}" y="${Y(1)}" width="${w}" height="${h}" class="frame"/>`);
  for (const s of series) {
    const d = simplifyRoc(s.points)
      .map((p, i) => `${i ? 'L' : 'M'}${X(p.fpr)} ${Y(p.tpr)}`)
      .join('');
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2" data-arm="${esc(s.name)}"><title>${esc(s.name)}</title></path>`,
    );
  }
  const top = Y(0) - 14 - (series.length - 1) * 18 - 16;
  parts.push(
    `<rect x="${X(0.34)}" y="${top}" width="${n2(X(1) - X(0.34) - 4)}" height="${n2(Y(0) - top - 6)}" class="legend"/>`,
  );
  series.forEach((s, i) => {
    const y = Y(0) - 14 - (series.length - 1 - i) * 18;
    parts.push(
      `<line x1="${X(0.36)}" y1="${y - 4}" x2="${X(0.43)}" y2="${y - 4}" stroke="${s.color}" stroke-width="3"/>`,
    );
    parts.push(
      `<text x="${X(0.45)}" y="${y}">${esc(s.name)}${isNum(s.auc) ? ` (AUC ${s.auc.toFixed(3)})` : ''}</text>`,
    );
  });
  parts.push(
    `<text x="${X(0.5)}" y="${size - 8}" text-anchor="middle" class="axis">False positive rate (1 − specificity)</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${Y(0.5)}) rotate(-90)" text-anchor="middle" class="axis">True positive rate (sensitivity)</text>`,
  );
  return `<svg class="plot roc" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" role="img" aria-label="ROC curves">${parts.join('')}</svg>`;
}

export interface StripRow {
  name: string;
  color: string;
  values: readonly number[];
  mean?: number | null;
  ci?: Ci;
  /** Where a map spread evenly would land (box area share). */
  chance?: number | null;
}

/**
 * One row per arm on a shared 0-1 axis: the per-image values as jittered dots, their box plot (quartiles,
 * whiskers at 1.5 IQR), the mean with its bootstrap CI, and the chance level as a dashed tick.
 */
export function stripSvg(rows: readonly StripRow[], axisLabel: string, seed = 0, width = 760): string {
  const rowH = 56,
    m = { l: 130, r: 20, t: 14, b: 44 };
  const h = m.t + rows.length * rowH + m.b,
    w = width - m.l - m.r;
  const X = (v: number) => n2(m.l + Math.min(1, Math.max(0, v)) * w);
  const parts: string[] = [];
  for (let i = 0; i <= 10; i++) {
    const v = i / 10;
    parts.push(`<line x1="${X(v)}" y1="${m.t}" x2="${X(v)}" y2="${h - m.b}" class="grid"/>`);
    if (i % 2 === 0)
      parts.push(`<text x="${X(v)}" y="${h - m.b + 16}" text-anchor="middle">${(v * 100).toFixed(0)}%</text>`);
  }
  rows.forEach((r, k) => {
    const cy = m.t + k * rowH + rowH / 2;
    const rng = new Rng(`${seed}:strip:${r.name}`);
    parts.push(`<text x="${m.l - 8}" y="${cy + 4}" text-anchor="end" class="rowlabel">${esc(r.name)}</text>`);
    const vals = r.values.filter(isNum);
    // Thin dots when there are many, so a 500-image arm stays light.
    for (const v of vals)
      parts.push(
        `<circle cx="${X(v)}" cy="${n2(cy + (rng.next() - 0.5) * (rowH * 0.55))}" r="2.2" fill="${r.color}" fill-opacity="${vals.length > 150 ? 0.25 : 0.45}"/>`,
      );
    if (vals.length >= 4) {
      const s = Float64Array.from(vals).sort();
      const q1 = quantileSorted(s, 0.25),
        q2 = quantileSorted(s, 0.5),
        q3 = quantileSorted(s, 0.75);
      const iqr = q3 - q1;
      const lo = s.find((v) => v >= q1 - 1.5 * iqr) ?? s[0],
        hi = [...s].reverse().find((v) => v <= q3 + 1.5 * iqr) ?? s[s.length - 1];
      const bh = rowH * 0.34;
      parts.push(
        `<line x1="${X(lo)}" y1="${cy}" x2="${X(q1)}" y2="${cy}" class="whisker"/><line x1="${X(q3)}" y1="${cy}" x2="${X(hi)}" y2="${cy}" class="whisker"/>`,
      );
      parts.push(
        `<rect x="${X(q1)}" y="${n2(cy - bh / 2)}" width="${n2(Math.max(1, X(q3) - X(q1)))}" height="${n2(bh)}" class="box"/>`,
      );
      parts.push(`<line x1="${X(q2)}" y1="${n2(cy - bh / 2)}" x2="${X(q2)}" y2="${n2(cy + bh / 2)}" class="median"/>`);
    }
    if (isNum(r.chance)) {
      parts.push(
        `<line x1="${X(r.chance)}" y1="${n2(cy - rowH * 0.42)}" x2="${X(r.chance)}" y2="${n2(cy + rowH * 0.42)}" class="chanceTick"><title>chance (box area share) ${(r.chance * 100).toFixed(1)}%</title></line>`,
      );
    }
    if (isNum(r.mean)) {
      if (r.ci && isNum(r.ci[0]) && isNum(r.ci[1]))
        parts.push(`<line x1="${X(r.ci[0])}" y1="${cy}" x2="${X(r.ci[1])}" y2="${cy}" class="ci"/>`);
      const x = X(r.mean);
      parts.push(
        `<path d="M${x} ${cy - 7}L${n2(x + 7)} ${cy}L${x} ${cy + 7}L${n2(x - 7)} ${cy}Z" class="meanMark"><title>mean ${(r.mean * 100).toFixed(1)}%</title></path>`,
      );
    }
  });
  parts.push(`<text x="${m.l + w / 2}" y="${h - 8}" text-anchor="middle" class="axis">${esc(axisLabel)}</text>`);
  return `<svg class="plot strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}" role="img" aria-label="${esc(axisLabel)}">${parts.join('')}</svg>`;
}

export interface DotCiRow {
  label: string;
  value?: number | null;
  ci?: Ci;
  color: string;
  group?: string;
}

/** Horizontal dot-and-whisker plot on [0, max]; rows may be grouped under headings. */
export function dotCiSvg(rows: readonly DotCiRow[], axisLabel: string, max = 1, asPct = true, width = 760): string {
  const rowH = 24,
    m = { l: 230, r: 60, t: 10, b: 40 };
  const h = m.t + rows.length * rowH + m.b,
    w = width - m.l - m.r;
  const X = (v: number) => n2(m.l + Math.min(1, Math.max(0, v / max)) * w);
  const label = (v: number) => (asPct ? `${(v * 100).toFixed(0)}%` : v.toFixed(2));
  const parts: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    parts.push(
      `<line x1="${X(v)}" y1="${m.t}" x2="${X(v)}" y2="${h - m.b}" class="grid"/><text x="${X(v)}" y="${h - m.b + 16}" text-anchor="middle">${label(v)}</text>`,
    );
  }
  rows.forEach((r, k) => {
    const cy = m.t + k * rowH + rowH / 2;
    parts.push(
      `<text x="${m.l - 8}" y="${cy + 4}" text-anchor="end" class="rowlabel">${esc(r.group ? `${r.group} · ${r.label}` : r.label)}</text>`,
    );
    if (!isNum(r.value)) {
      parts.push(`<text x="${m.l + 4}" y="${cy + 4}" class="muted">no data</text>`);
      return;
    }
    if (r.ci && isNum(r.ci[0]) && isNum(r.ci[1]))
      parts.push(
        `<line x1="${X(r.ci[0])}" y1="${cy}" x2="${X(r.ci[1])}" y2="${cy}" stroke="${r.color}" stroke-width="2"/>`,
      );
    parts.push(
      `<circle cx="${X(r.value)}" cy="${cy}" r="5" fill="${r.color}"/><text x="${n2(X(r.value) + 9)}" y="${cy - 5}" class="small">${label(r.value)}</text>`,
    );
  });
  parts.push(`<text x="${m.l + w / 2}" y="${h - 6}" text-anchor="middle" class="axis">${esc(axisLabel)}</text>`);
  return `<svg class="plot dots" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}" role="img" aria-label="${esc(axisLabel)}">${parts.join('')}</svg>`;
}
