import type { ImageRecord } from '../data/types.js';
import { toCsv } from '../util/csv.js';
import { writeFileAtomic } from '../util/atomic.js';
import { InputCache } from './inputs.js';
import { predictRecords } from './loop.js';
import { openRun } from './run.js';

export interface ScoredImage { id: string; path: string; patient: string; study: string; label: '' | 0 | 1; score: number }

/** Score records with a run's best weights: probability abnormal per image. */
export async function scoreRecords(runDir: string, records: readonly ImageRecord[], threads?: number): Promise<ScoredImage[]> {
  using run = await openRun(runDir, { threads });
  const cache = new InputCache(run.input, 0);
  const probs = await predictRecords(run.model, records, cache, run.input.size, Math.max(8, run.config.batch * 2));
  return records.map((r, i) => ({ id: r.id, path: r.path, patient: r.patient, study: r.study, label: r.label ?? '', score: probs[i] }));
}

export async function writeScores(path: string, rows: readonly ScoredImage[]): Promise<void> {
  const header = ['id', 'path', 'patient', 'study', 'label', 'score'];
  await writeFileAtomic(path, toCsv([header, ...rows.map((r) => [r.id, r.path, r.patient, r.study, r.label, r.score.toPrecision(9)])]));
}
