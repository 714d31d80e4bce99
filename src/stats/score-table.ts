import { parseCsv } from '../util/index.js';
import { aggregateByStudy } from './agreement.js';
import { aucCiDelong, delongPaired } from './delong.js';

/** One row of a score CSV (`id,path,patient,study,label,score`): one image and its probability of being abnormal. */
export interface ScoreRow {
  id: string;
  path: string;
  patient: string;
  study: string;
  label: 0 | 1;
  score: number;
}

export const SCORE_COLUMNS = ['id', 'path', 'patient', 'study', 'label', 'score'] as const;

/** Parse and check a score CSV; errors name the file, the line and the problem. */
export function parseScoreCsv(text: string, file: string): ScoreRow[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`${file}: empty file; expected a header ${SCORE_COLUMNS.join(',')}`);
  const names = header.map((h) => h.trim());
  const missing = SCORE_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length)
    throw new Error(`${file}: missing column(s) ${missing.join(', ')}; expected ${SCORE_COLUMNS.join(',')}`);
  const col = Object.fromEntries(SCORE_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<
    (typeof SCORE_COLUMNS)[number],
    number
  >;
  const seen = new Set<string>();
  const out: ScoreRow[] = [];
  rows.forEach((r, k) => {
    const line = k + 2;
    const id = (r[col.id] ?? '').trim();
    if (!id) throw new Error(`${file}: line ${line}: empty id`);
    if (seen.has(id)) throw new Error(`${file}: line ${line}: duplicate id "${id}"`);
    seen.add(id);
    const labelText = (r[col.label] ?? '').trim();
    if (labelText !== '0' && labelText !== '1')
      throw new Error(`${file}: line ${line} (id "${id}"): label "${labelText}" is not 0 or 1`);
    const scoreText = (r[col.score] ?? '').trim();
    const score = scoreText === '' ? NaN : Number(scoreText);
    if (!Number.isFinite(score))
      throw new Error(`${file}: line ${line} (id "${id}"): score "${scoreText}" is not a finite number`);
    out.push({
      id,
      path: r[col.path] ?? '',
      patient: (r[col.patient] ?? '').trim(),
      study: (r[col.study] ?? '').trim(),
      label: labelText === '1' ? 1 : 0,
      score,
    });
  });
  if (out.length === 0) throw new Error(`${file}: no rows`);
  return out;
}

/** Keyed (label, score) items of one file at the requested level. */
export interface KeyedScores {
  file: string;
  keys: string[];
  labels: Uint8Array;
  scores: Float64Array;
}

export type CompareLevel = 'image' | 'study';

export function keyedScores(rows: readonly ScoreRow[], file: string, level: CompareLevel): KeyedScores {
  if (level === 'image') {
    return {
      file,
      keys: rows.map((r) => r.id),
      labels: Uint8Array.from(rows, (r) => r.label),
      scores: Float64Array.from(rows, (r) => r.score),
    };
  }
  const blank = rows.find((r) => !r.study);
  if (blank) throw new Error(`${file}: id "${blank.id}" has an empty study; --level study needs every row's study`);
  let studies: ReturnType<typeof aggregateByStudy>;
  try {
    studies = aggregateByStudy(rows);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return {
    file,
    keys: studies.map((s) => s.study),
    labels: Uint8Array.from(studies, (s) => s.label),
    scores: Float64Array.from(studies, (s) => s.score),
  };
}

function examples(keys: string[]): string {
  return (
    keys
      .slice(0, 3)
      .map((k) => `"${k}"`)
      .join(', ') + (keys.length > 3 ? ', ...' : '')
  );
}

/** Align the second file's items to the first's by key; every key must be in both, with the same label. */
export function pairByKey(a: KeyedScores, b: KeyedScores): Float64Array {
  const index = new Map(b.keys.map((k, i) => [k, i]));
  const onlyA = a.keys.filter((k) => !index.has(k));
  const inA = new Set(a.keys);
  const onlyB = b.keys.filter((k) => !inA.has(k));
  if (onlyA.length || onlyB.length) {
    const parts = [];
    if (onlyA.length) parts.push(`${onlyA.length} only in ${a.file} (${examples(onlyA)})`);
    if (onlyB.length) parts.push(`${onlyB.length} only in ${b.file} (${examples(onlyB)})`);
    throw new Error(`unpaired keys between ${a.file} and ${b.file}: ${parts.join('; ')}`);
  }
  const aligned = new Float64Array(a.keys.length);
  const disagree: string[] = [];
  a.keys.forEach((k, i) => {
    const j = index.get(k)!;
    if (b.labels[j] !== a.labels[i]) disagree.push(k);
    aligned[i] = b.scores[j];
  });
  if (disagree.length)
    throw new Error(
      `labels disagree between ${a.file} and ${b.file} for ${disagree.length} key(s) (${examples(disagree)})`,
    );
  return aligned;
}

export interface CompareResult {
  level: CompareLevel;
  files: string[];
  auc: number[];
  ci: [number, number][];
  diff: number | null;
  z: number | null;
  p: number | null;
  n: number;
  n_pos: number;
}

/** AUCs with DeLong 95% CIs for one or two score files, and the paired DeLong test when there are two. */
export function compareScoreSets(sets: readonly KeyedScores[], level: CompareLevel = 'image'): CompareResult {
  if (sets.length < 1 || sets.length > 2) throw new Error(`compare takes one or two score files, got ${sets.length}`);
  const [a, b] = sets;
  const labels = a.labels;
  const scores = [a.scores, ...(b ? [pairByKey(a, b)] : [])];
  const cis = scores.map((s, k) => {
    try {
      return aucCiDelong(labels, s, 0.95);
    } catch (e) {
      throw new Error(`${sets[k].file}: ${(e as Error).message}`);
    }
  });
  const nPos = labels.reduce((s, y) => s + y, 0);
  const base = {
    files: sets.map((s) => s.file),
    auc: cis.map((c) => c.auc),
    ci: cis.map((c) => c.ci),
    n: labels.length,
    n_pos: nPos,
  };
  if (!b) return { level, ...base, diff: null, z: null, p: null };
  const t = delongPaired(labels, scores[0], scores[1]);
  return { level, ...base, diff: t.diff, z: t.z, p: t.p };
}
