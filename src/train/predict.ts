import { join } from 'node:path';
import type { ImageRecord } from '../data/types.js';
import { Model } from '../engine/index.js';
import { toCsv } from '../util/csv.js';
import { writeFileAtomic } from '../util/atomic.js';
import { InputCache } from './inputs.js';
import { predictRecords, BEST_WEIGHTS } from './loop.js';
import { readRunConfig } from './run.js';

export interface ScoredImage { id: string; path: string; patient: string; study: string; label: '' | 0 | 1; score: number }

/** Score records with a run's best weights: probability abnormal per image. */
export async function scoreRecords(runDir: string, records: readonly ImageRecord[], threads?: number): Promise<ScoredImage[]> {
  const cfg = await readRunConfig(runDir);
  using model = await Model.load(join(runDir, BEST_WEIGHTS), { threads: threads ?? cfg.threads, device: cfg.device });
  const cache = new InputCache({ size: cfg.size, mean: cfg.mean, std: cfg.std }, 0);
  const probs = await predictRecords(model, records, cache, cfg.size, Math.max(8, cfg.batch * 2));
  return records.map((r, i) => ({ id: r.id, path: r.path, patient: r.patient, study: r.study, label: r.label ?? '', score: probs[i] }));
}

export async function writeScores(path: string, rows: readonly ScoredImage[]): Promise<void> {
  const header = ['id', 'path', 'patient', 'study', 'label', 'score'];
  await writeFileAtomic(path, toCsv([header, ...rows.map((r) => [r.id, r.path, r.patient, r.study, r.label, r.score.toPrecision(9)])]));
}
