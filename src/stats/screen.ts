import { aucCiDelong } from './delong.js';
import { chiSquareTest } from './contingency.js';
import { cramersVBiasCorrected, cramersVCi } from './effect-size.js';
import { mannWhitney } from './mann-whitney.js';
import { identifierName, isMissing, parseDateColumn, patientKeyName } from './screen-values.js';

/**
 * Confounder screen for curated metadata: how strongly each column is associated with a binary outcome, all on
 * one scale, the bias-corrected Cramér's V (Bergsma 2013; see effect-size.ts), which does not grow with a
 * column's number of levels. Categorical columns are cross-tabulated by level (levels under `minLevelCount` rows
 * pooled into "(rare)"); numeric and date columns are cut into up to ten quantile bins for V, and also get the
 * AUC (DeLong CI) and the Mann-Whitney test. Blank cells are a level of their own when missingness itself predicts
 * the outcome, and always in presence flags (one value or blank). Identifiers are flagged and not tested; columns
 * that almost determine the outcome are flagged as leakage and listed apart from the confounders.
 */

export type ColumnKind = 'categorical' | 'numeric' | 'datetime' | 'identifier';
export type ScreenFlag =
  | 'leakage'
  | 'identifier'
  | 'constant'
  | 'empty'
  | 'one-outcome'
  | 'presence'
  | 'missing_informative'
  | 'sparse'
  | 'kept';

export interface ScreenColumn {
  column: string;
  kind: ColumnKind;
  /** Bias-corrected Cramér's V over the column's levels or bins; null when not tested (identifier, empty). */
  effect: number | null;
  /** 95% Poisson-bootstrap percentile CI of effect. */
  ci: [number, number] | null;
  /** p of the column's test: chi-square over the levels (categorical), Mann-Whitney (numeric, datetime). */
  p: number | null;
  test: 'chi-square' | 'mann-whitney' | null;
  flags: ScreenFlag[];
  /** Rows used: outcome present, and this column present unless its blanks are a level. */
  n: number;
  /** Rows with the outcome present but this column blank, and their share. */
  missing: number;
  missing_share: number;
  /** p of the chi-square test of blank vs present against the outcome (null when nothing or everything is blank). */
  missing_p: number | null;
  /** Distinct non-blank values. */
  levels: number;
  /** Levels pooled into "(rare)". */
  pooled: number;
  /** Numeric and datetime columns: AUC of the values for the positive outcome, its DeLong 95% CI, the binned chi-square p. */
  auc?: number;
  auc_ci?: [number, number];
  p_binned?: number;
  /** One line: what to do about the column. */
  advice: string;
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
  /** The column used as the patient key for "unique per patient", if any. */
  patient: string | null;
  effect_measure: "bias-corrected Cramér's V (Bergsma 2013)";
  columns: ScreenColumn[];
}

export interface ScreenOptions {
  /** Bias-corrected V at or above which a column is flagged as leakage (default 0.9). */
  leakThreshold?: number;
  /** Numeric columns need at least this many distinct values; fewer are treated as categorical (default 10). */
  minNumericDistinct?: number;
  /** String/integer columns with distinct / rows at or above this share are identifiers (default 0.9). */
  identifierShare?: number;
  /** Levels with fewer rows are pooled into "(rare)" (default 5). */
  minLevelCount?: number;
  /** Columns never flagged as identifiers (ranked like any other). */
  keep?: readonly string[];
  /** The patient key (default: a column named patient, patient_id, subject, mrn...). */
  patient?: string;
  /** Columns read from the pixels (a detector's findings): the advice for them is to cover, not stratify. */
  imageColumns?: readonly string[];
  /** Bootstrap replicates for the CIs of V (default 200). */
  replicates?: number;
}

const BLANK = '(blank)';
const RARE = '(rare)';
/** Missingness counts as informative at p below this and a bias-corrected V of blank-vs-present of at least MIN_V. */
const MISSING_ALPHA = 1e-3;
const MISSING_MIN_V = 0.05;
/** Leakage by purity: every level with at least PURE_MIN_ROWS rows is this pure, and they cover PURE_COVER of rows. */
const PURITY = 0.95;
const PURE_MIN_ROWS = 10;
const PURE_COVER = 0.9;
/** A numeric column whose AUC is this far from 0.5 is leakage. */
const LEAK_AUC = 0.95;
const BINS = 10;

/** Pick the positive outcome level: 1, true, yes, positive, abnormal when present; otherwise the later one in sort order. */
function orderOutcomeLevels(levels: string[]): [string, string] {
  const positiveWords = ['1', 'true', 'yes', 'y', 'positive', 'pos', 'abnormal'];
  const pos = levels.find((l) => positiveWords.includes(l.toLowerCase()));
  if (pos !== undefined) return [pos, levels.find((l) => l !== pos)!];
  const sorted = [...levels].sort();
  return [sorted[1], sorted[0]];
}

/** Level -> [negatives, positives]. */
function countLevels(codes: readonly string[], y: Uint8Array): Map<string, [number, number]> {
  const m = new Map<string, [number, number]>();
  for (let i = 0; i < codes.length; i++) {
    let c = m.get(codes[i]);
    if (!c) {
      c = [0, 0];
      m.set(codes[i], c);
    }
    c[y[i]]++;
  }
  return m;
}

/** Pool levels with fewer than minCount rows into "(rare)" (blank is never pooled). */
function poolRare(
  counts: Map<string, [number, number]>,
  minCount: number,
): { table: number[][]; names: string[]; pooled: number } {
  const table: number[][] = [],
    names: string[] = [];
  const rare = [0, 0];
  let pooled = 0;
  for (const [level, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (level !== BLANK && c[0] + c[1] < minCount) {
      rare[0] += c[0];
      rare[1] += c[1];
      pooled++;
      continue;
    }
    table.push([c[0], c[1]]);
    names.push(level);
  }
  if (pooled) {
    table.push(rare);
    names.push(RARE);
  }
  return { table, names, pooled };
}

/** Every frequent level is nearly pure, the frequent levels cover most rows, and both outcomes have one. */
function purityLeak(table: readonly number[][], names: readonly string[]): boolean {
  const total = table.reduce((s, r) => s + r[0] + r[1], 0);
  let covered = 0;
  const majorities = new Set<number>();
  for (let i = 0; i < table.length; i++) {
    const [a, b] = table[i];
    if (names[i] === RARE || a + b < PURE_MIN_ROWS) continue;
    if (Math.max(a, b) < PURITY * (a + b)) return false;
    covered += a + b;
    majorities.add(a > b ? 0 : 1);
  }
  return majorities.size === 2 && covered >= PURE_COVER * total;
}

/** Quantile bin of every value (up to BINS bins; equal values share a bin). */
function quantileBins(values: Float64Array): string[] {
  const sorted = Float64Array.from(values).sort();
  const edges: number[] = [];
  for (let q = 1; q < BINS; q++) {
    const e = sorted[Math.floor((q * sorted.length) / BINS)];
    if (e > sorted[0] && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  return Array.from(values, (v) => {
    let lo = 0,
      hi = edges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (edges[mid] <= v) lo = mid + 1;
      else hi = mid;
    }
    return `bin${lo}`;
  });
}

interface Column {
  name: string;
  values: string[];
  present: Uint8Array;
  nPresent: number;
}

/** A column's cells of the kept rows: blanks as BLANK, the rest trimmed. */
function readColumn(cells: readonly (string | undefined)[], keep: Uint32Array, name: string): Column {
  const values = new Array<string>(keep.length);
  const present = new Uint8Array(keep.length);
  let nPresent = 0;
  for (let i = 0; i < keep.length; i++) {
    const v = cells[keep[i]];
    if (isMissing(v)) values[i] = BLANK;
    else {
      values[i] = v!.trim();
      present[i] = 1;
      nPresent++;
    }
  }
  return { name, values, present, nPresent };
}

/** Every value as a finite number, or null as soon as one is not. */
function numbersOf(values: readonly string[]): Float64Array | null {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (!Number.isFinite(v)) return null;
    out[i] = v;
  }
  return out;
}

/** Near-unique per row, or one value per patient with about as many values as patients (string or integer columns). */
function looksLikeIdentifier(
  col: Column,
  levels: Set<string>,
  integerOrText: boolean,
  patientKey: string[] | null,
  share: number,
): boolean {
  if (!integerOrText) return false;
  if (identifierName(col.name) && (levels.size > 20 || levels.size >= 0.5 * col.nPresent)) return true;
  if (col.nPresent >= 20 && levels.size >= share * col.nPresent) return true;
  if (!patientKey || levels.size < 20) return false;
  const perPatient = new Map<string, string | null>();
  for (let i = 0; i < col.values.length; i++) {
    if (!col.present[i]) continue;
    const prev = perPatient.get(patientKey[i]);
    if (prev === undefined) perPatient.set(patientKey[i], col.values[i]);
    else if (prev !== null && prev !== col.values[i]) perPatient.set(patientKey[i], null);
  }
  let constant = 0;
  for (const v of perPatient.values()) if (v !== null) constant++;
  return perPatient.size >= 20 && constant >= 0.95 * perPatient.size && levels.size >= share * perPatient.size;
}

export function screenTable(
  rows: readonly Record<string, string>[],
  outcome: string,
  opts: ScreenOptions = {},
): ScreenResult {
  const header = rows.length ? Object.keys(rows[0]) : [];
  return screenColumns(
    header,
    header.map((h) => rows.map((r) => r[h])),
    outcome,
    opts,
  );
}

/** The same screen on a table given by columns (the CSV reader's rows transposed: no object per row). */
export function screenColumns(
  header: readonly string[],
  cells: readonly (readonly (string | undefined)[])[],
  outcome: string,
  opts: ScreenOptions = {},
): ScreenResult {
  const leakThreshold = opts.leakThreshold ?? 0.9;
  const minNumericDistinct = opts.minNumericDistinct ?? 10;
  const identifierShare = opts.identifierShare ?? 0.9;
  const minLevelCount = opts.minLevelCount ?? 5;
  const replicates = opts.replicates ?? 200;
  const keepColumns = new Set(opts.keep ?? []);
  const imageColumns = new Set(opts.imageColumns ?? []);
  const columns = [...header];
  if (!columns.includes(outcome)) {
    throw new RangeError(`outcome column "${outcome}" not found; columns are: ${columns.join(', ') || '(none)'}`);
  }
  for (const k of [...keepColumns, ...(opts.patient ? [opts.patient] : [])]) {
    if (!columns.includes(k)) throw new RangeError(`column "${k}" not found; columns are: ${columns.join(', ')}`);
  }
  const outcomeCells = cells[columns.indexOf(outcome)];
  const total = outcomeCells.length;
  const keepIdx: number[] = [];
  for (let i = 0; i < total; i++) if (!isMissing(outcomeCells[i])) keepIdx.push(i);
  const keep = Uint32Array.from(keepIdx);
  const outcomeValues = Array.from(keep, (i) => outcomeCells[i]!.trim());
  const outcomeLevels = [...new Set(outcomeValues)];
  if (outcomeLevels.length !== 2) {
    const shown = outcomeLevels
      .slice(0, 5)
      .map((l) => `"${l}"`)
      .join(', ');
    throw new RangeError(
      `outcome column "${outcome}" has ${outcomeLevels.length} distinct values (${shown}${outcomeLevels.length > 5 ? ', ...' : ''}); screen needs a binary outcome`,
    );
  }
  const [positive, negative] = orderOutcomeLevels(outcomeLevels);
  const y = Uint8Array.from(outcomeValues, (v) => (v === positive ? 1 : 0));
  const patient = opts.patient ?? columns.find((c) => c !== outcome && patientKeyName(c)) ?? null;
  const patientKey = patient ? readColumn(cells[columns.indexOf(patient)], keep, patient).values : null;
  const nKept = keep.length;

  const results = columns
    .filter((c) => c !== outcome)
    .map((name): ScreenColumn => {
      const col = readColumn(cells[columns.indexOf(name)], keep, name);
      const missing = nKept - col.nPresent;
      const levelSet = new Set<string>();
      for (let i = 0; i < col.values.length; i++) if (col.present[i]) levelSet.add(col.values[i]);
      const base = {
        column: name,
        missing,
        missing_share: nKept ? missing / nKept : 0,
        levels: levelSet.size,
        pooled: 0,
        ci: null,
        auc: undefined,
      };
      const untested = (kind: ColumnKind, flags: ScreenFlag[], advice: string): ScreenColumn => ({
        ...base,
        kind,
        effect: null,
        p: null,
        test: null,
        n: col.nPresent,
        missing_p: null,
        flags,
        advice,
      });
      if (col.nPresent === 0) return untested('categorical', ['empty'], 'nothing to test: every cell is blank');

      const presentValues = col.values.filter((_, i) => col.present[i]);
      const nums = numbersOf(presentValues);
      const allNumeric = nums !== null;
      const dates = allNumeric && !/date|time/i.test(name) ? null : parseDateColumn(name, presentValues);
      const integerOrText = !dates && (!nums || nums.every(Number.isInteger));
      if (!keepColumns.has(name) && looksLikeIdentifier(col, levelSet, integerOrText, patientKey, identifierShare)) {
        return untested(
          'identifier',
          ['identifier'],
          'identifier: not a predictor; use it only to group rows (split by patient)',
        );
      }
      const kind: ColumnKind = dates
        ? 'datetime'
        : allNumeric && levelSet.size >= minNumericDistinct
          ? 'numeric'
          : 'categorical';
      const flags: ScreenFlag[] = keepColumns.has(name) ? ['kept'] : [];

      // missingness against the outcome
      let missingP: number | null = null,
        missingInformative = false;
      if (missing > 0) {
        const t = [
          [0, 0],
          [0, 0],
        ];
        for (let i = 0; i < y.length; i++) t[col.present[i]][y[i]]++;
        missingP = chiSquareTest(t).p;
        missingInformative = missingP < MISSING_ALPHA && cramersVBiasCorrected(t) >= MISSING_MIN_V;
      }
      const presence = kind === 'categorical' && levelSet.size === 1 && missing > 0;
      if (presence) flags.push('presence');
      if (missingInformative) flags.push('missing_informative');
      const blankIsLevel = presence || missingInformative;

      // codes per used row: levels, or quantile bins for numbers and dates
      let codes: string[];
      let yUsed: Uint8Array;
      let extra: Partial<ScreenColumn> = {};
      let p: number;
      let test: ScreenColumn['test'] = 'chi-square';
      if (kind === 'categorical') {
        codes = blankIsLevel ? col.values : presentValues;
        yUsed = blankIsLevel ? y : y.filter((_, i) => col.present[i]);
      } else {
        const v = dates ?? nums!;
        const yPresent = y.filter((_, i) => col.present[i]);
        const bins = quantileBins(v);
        if (blankIsLevel) {
          let j = 0;
          codes = col.values.map((_, i) => (col.present[i] ? bins[j++] : BLANK));
          yUsed = y;
        } else {
          codes = bins;
          yUsed = yPresent;
        }
        if (yPresent.includes(0) && yPresent.includes(1)) {
          const mw = mannWhitney(yPresent, v);
          const ci = aucCiDelong(yPresent, v);
          extra = { auc: mw.auc, auc_ci: [ci.ci[0], ci.ci[1]] };
          p = mw.p;
          test = 'mann-whitney';
        }
      }
      const { table, names, pooled } = poolRare(countLevels(codes, yUsed), minLevelCount);
      const chi = chiSquareTest(table);
      if (test === 'chi-square') p = chi.p;
      else extra.p_binned = chi.p;
      const n = yUsed.length;
      const both = yUsed.includes(0) && yUsed.includes(1);
      const common = { ...base, ...extra, kind, n, missing_p: missingP, pooled, test, p: p! };
      if (!both)
        return {
          ...common,
          effect: null,
          ci: null,
          p: null,
          test: null,
          flags: [...flags, 'one-outcome'],
          advice: adviceFor(name, 'one-outcome', false, imageColumns),
        };
      if (table.length < 2)
        return {
          ...common,
          effect: 0,
          ci: [0, 0],
          p: 1,
          flags: [...flags, 'constant'],
          advice: 'nothing to test: one value',
        };
      const effect = cramersVBiasCorrected(table);
      const ci = cramersVCi(table, `screen:${name}`, replicates);
      if (chi.sparseShare > 0.2) flags.push('sparse');
      const auc = extra.auc;
      const leak =
        effect >= leakThreshold ||
        (kind === 'categorical' && purityLeak(table, names)) ||
        (auc !== undefined && Math.max(auc, 1 - auc) >= LEAK_AUC && missing === 0);
      if (leak) flags.unshift('leakage');
      const strong = effect >= 0.1 && common.p < 1e-3;
      return {
        ...common,
        effect,
        ci,
        flags,
        advice: adviceFor(name, leak ? 'leakage' : strong ? 'strong' : 'weak', missingInformative, imageColumns),
      };
    });

  const group = (c: ScreenColumn): number =>
    c.flags.some((f) => f === 'empty' || f === 'constant' || f === 'one-outcome')
      ? 3
      : c.kind === 'identifier'
        ? 2
        : c.flags.includes('leakage')
          ? 1
          : 0;
  results.sort(
    (a, b) =>
      group(a) - group(b) ||
      (b.effect ?? -1) - (a.effect ?? -1) ||
      (a.p ?? 2) - (b.p ?? 2) ||
      a.column.localeCompare(b.column),
  );
  return {
    outcome,
    positive,
    negative,
    n: nKept,
    outcomeMissing: total - nKept,
    patient,
    effect_measure: "bias-corrected Cramér's V (Bergsma 2013)",
    columns: results,
  };
}

function adviceFor(
  name: string,
  strength: 'leakage' | 'strong' | 'weak' | 'one-outcome',
  missingInformative: boolean,
  imageColumns: ReadonlySet<string>,
): string {
  const blank = missingInformative ? '; its blanks predict the outcome: keep blank as a level of its own' : '';
  if (strength === 'leakage')
    return "leakage: remove it from the inputs and from the splits' criteria (it almost determines the outcome)";
  if (strength === 'one-outcome') return 'present for one outcome only: check how it was recorded';
  if (strength === 'weak') return `no action: weak or no association${blank}`;
  if (imageColumns.has(name))
    return `cover: burned into the image; cover the labels (confound mask --mode cover) and check the model with confound counterfactual${blank}`;
  return `stratify: balance it across splits and report results per level (or match on it)${blank}`;
}
