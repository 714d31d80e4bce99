import type { ImageRecord, LoadIssue } from '../data/index.js';
import type { DeviceChoice } from '../engine/index.js';
import { toCsv } from '../util/csv.js';
import { writeFileAtomic } from '../util/atomic.js';
import { InputCache } from './inputs.js';
import { predictRecords } from './loop.js';
import { openRun } from './run.js';

export interface ScoredImage { id: string; path: string; patient: string; study: string; label: '' | 0 | 1; score: number }

/**
 * Score records with a run's best weights: probability abnormal per image. An image that does not decode is
 * left out of the rows and added to `skipped` (named, with the reason).
 */
export async function scoreRecords(runDir: string, records: readonly ImageRecord[], threads?: number,
  skipped: LoadIssue[] = [], device?: DeviceChoice): Promise<ScoredImage[]> {
  using run = await openRun(runDir, { threads, device });
  const cache = new InputCache(run.input, 0);
  const before = skipped.length;
  const probs = await predictRecords(run.model, records, cache, run.input.size, Math.max(8, run.config.batch * 2), skipped);
  const bad = new Set(skipped.slice(before).map((s) => s.file));
  return records.flatMap((r, i) => (bad.has(r.path) ? []
    : [{ id: r.id, path: r.path, patient: r.patient, study: r.study, label: r.label ?? '', score: probs[i] }]));
}

export async function writeScores(path: string, rows: readonly ScoredImage[]): Promise<void> {
  const header = ['id', 'path', 'patient', 'study', 'label', 'score'];
  await writeFileAtomic(path, toCsv([header, ...rows.map((r) => [r.id, r.path, r.patient, r.study, r.label, r.score.toPrecision(9)])]));
}
