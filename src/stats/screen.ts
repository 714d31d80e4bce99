import { chiSquareIndependence } from './contingency.js';
import { mannWhitney } from './mann-whitney.js';

/**
 * Confounder screen for curated metadata: how strongly each column is associated with a binary outcome.
 * Categorical columns: Pearson chi-square p and Cramer's V. Numeric columns: Mann-Whitney p and
 * effect = 2 |AUC - 0.5| (0 = no separation, 1 = perfect), so both effects live on [0, 1].
 * Columns with about one value per row are identifiers (reported, not tested); columns whose effect exceeds
 * the leak threshold almost determine the outcome and are flagged as likely leakage, not ranked as confounders.
 */

export type ColumnKind = 'categorical' | 'numeric' | 'identifier';
export type ScreenFlag = 'leak' | 'identifier' | 'constant' | 'empty' | 'sparse' | 'one-outcome';

export interface ScreenColumn {
  column: string;
  kind: ColumnKind;
  /** Cramer's V or 2|AUC - 0.5|; null when not tested (identifier, empty). */
  effect: number | null;
  p: number | null;
  flags: ScreenFlag[];
  /** Rows used (outcome and this column both present). */
  n: number;
  /** Rows with the outcome present but this column missing. */
  missing: number;
  /** Distinct non-missing values. */
  levels: number;
  /** Numeric columns: AUC of the column for the positive outcome (direction of the association). */
  auc?: number;
}

export interface ScreenResult {
  outcome: string;
  /** Outcome level treated as positive (for the AUC direction) and the other one. */
  positive: string;
  negative: string;
  /** Rows with a non-missing outcome. */
  n: number;
  /** Rows dropped because the outcome was missing. */
  outcomeMissing: number;
  columns: ScreenColumn[];
}

export interface ScreenOptions {
  /** Effect above which a column is flagged as likely leakage (default 0.9). */
  leakThreshold?: number;
  /** Numeric columns need at least this many distinct values; fewer are treated as categorical (default 10). */
  minNumericDistinct?: number;
  /** Non-numeric columns with distinct / rows at or above this share are identifiers (default 0.9). */
  identifierShare?: number;
}

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none', '?', '.']);

export function isMissing(v: string | undefined): boolean {
  return v === undefined || MISSING.has(v.trim().toLowerCase());
}

/** Pick the positive outcome level: 1, true, yes, positive, abnormal when present; otherwise the later one in sort order. */
function orderOutcomeLevels(levels: string[]): [string, string] {
  const positiveWords = ['1', 'true', 'yes', 'y', 'positive', 'pos', 'abnormal'];
  const pos = levels.find((l) => positiveWords.includes(l.toLowerCase()));
  if (pos !== undefined) return [pos, levels.find((l) => l !== pos)!];
  const sorted = [...levels].sort();
  return [sorted[1], sorted[0]];
}

const GROUP_ORDER = (c: ScreenColumn): number =>
  c.flags.some((f) => f === 'empty' || f === 'constant' || f === 'one-outcome') ? 3 : c.kind === 'identifier' ? 2 : c.flags.includes('leak') ? 1 : 0;

export function screenTable(rows: readonly Record<string, string>[], outcome: string, opts: ScreenOptions = {}): ScreenResult {
  const leakThreshold = opts.leakThreshold ?? 0.9;
  const minNumericDistinct = opts.minNumericDistinct ?? 10;
  const identifierShare = opts.identifierShare ?? 0.9;
  const columns = rows.length ? Object.keys(rows[0]) : [];
  if (!columns.includes(outcome)) {
    throw new RangeError(`outcome column "${outcome}" not found; columns are: ${columns.join(', ') || '(none)'}`);
  }
  const kept = rows.filter((r) => !isMissing(r[outcome]));
  const outcomeLevels = [...new Set(kept.map((r) => r[outcome].trim()))];
  if (outcomeLevels.length !== 2) {
    const shown = outcomeLevels.slice(0, 5).map((l) => `"${l}"`).join(', ');
    throw new RangeError(`outcome column "${outcome}" has ${outcomeLevels.length} distinct values (${shown}${outcomeLevels.length > 5 ? ', ...' : ''}); screen needs a binary outcome`);
  }
  const [positive, negative] = orderOutcomeLevels(outcomeLevels);
  const y = kept.map((r) => (r[outcome].trim() === positive ? 1 : 0));

  const results = columns.filter((c) => c !== outcome).map((column): ScreenColumn => {
    const idx: number[] = [];
    for (let i = 0; i < kept.length; i++) if (!isMissing(kept[i][column])) idx.push(i);
    const values = idx.map((i) => kept[i][column].trim());
    const labels = idx.map((i) => y[i]);
    const levels = new Set(values).size;
    const base = { column, n: idx.length, missing: kept.length - idx.length, levels };
    if (idx.length === 0) return { ...base, kind: 'categorical', effect: null, p: null, flags: ['empty'] };
    const nums = values.map(Number);
    const allNumeric = nums.every(Number.isFinite);
    const allInteger = allNumeric && nums.every(Number.isInteger);
    const identifier = allNumeric
      ? allInteger && levels === values.length && values.length >= minNumericDistinct
      : levels >= identifierShare * values.length && values.length >= 2 && levels > 1;
    if (identifier) return { ...base, kind: 'identifier', effect: null, p: null, flags: ['identifier'] };
    const numeric = allNumeric && levels >= minNumericDistinct;
    const kind: ColumnKind = numeric ? 'numeric' : 'categorical';
    // Present only for one outcome level: untestable here, but the missingness itself may be a shortcut.
    if (!labels.includes(0) || !labels.includes(1)) return { ...base, kind, effect: null, p: null, flags: ['one-outcome'] };
    if (levels === 1) return { ...base, kind, effect: 0, p: 1, flags: ['constant'] };
    const flags: ScreenFlag[] = [];
    let effect: number; let p: number; let auc: number | undefined;
    if (numeric) {
      const mw = mannWhitney(labels, nums);
      auc = mw.auc; effect = 2 * Math.abs(mw.auc - 0.5); p = mw.p;
    } else {
      const chi = chiSquareIndependence(values, labels.map(String));
      effect = chi.cramersV; p = chi.p;
      if (chi.sparseShare > 0.2) flags.push('sparse');
    }
    if (effect > leakThreshold) flags.unshift('leak');
    return { ...base, kind, effect, p, flags, ...(auc !== undefined ? { auc } : {}) };
  });

  results.sort((a, b) => GROUP_ORDER(a) - GROUP_ORDER(b) || (b.effect ?? -1) - (a.effect ?? -1)
    || (a.p ?? 2) - (b.p ?? 2) || a.column.localeCompare(b.column));
  return { outcome, positive, negative, n: kept.length, outcomeMissing: rows.length - kept.length, columns: results };
}
