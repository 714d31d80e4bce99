import { join } from 'node:path';
import type { ImageRecord, LoadIssue } from '../data/index.js';
import type { DeviceChoice } from '../engine/index.js';
import { loadPredictor, type InferenceBackend } from '../infer/index.js';
import { toCsv } from '../util/index.js';
import { writeFileAtomic } from '../util/index.js';
import { InputCache } from './inputs.js';
import { BEST_WEIGHTS, predictRecords } from './loop.js';
import { openRun, readRunConfig } from './run.js';

export interface ScoredImage {
  id: string;
  path: string;
  patient: string;
  study: string;
  label: '' | 0 | 1;
  score: number;
}

/**
 * Score records with a run's best weights: probability abnormal per image, by the engine or onnxruntime (CPU).
 * An image that does not decode is left out of the rows and added to `skipped` (named, with the reason).
 */
export async function scoreRecords(
  runDir: string,
  records: readonly ImageRecord[],
  threads?: number,
  skipped: LoadIssue[] = [],
  device?: DeviceChoice,
  backend: InferenceBackend = 'engine',
): Promise<ScoredImage[]> {
  const before = skipped.length;
  let probs: Float32Array;
  if (backend === 'engine') {
    using run = await openRun(runDir, { threads, device });
    probs = await predictRecords(
      run.model,
      records,
      new InputCache(run.input, 0),
      run.input.size,
      Math.max(8, run.config.batch * 2),
      skipped,
    );
  } else {
    const cfg = await readRunConfig(runDir);
    const model = await loadPredictor(join(runDir, BEST_WEIGHTS), {
      backend,
      threads: threads ?? cfg.threads,
      device: device === 'cuda' ? 'cuda' : undefined,
    });
    const cache = new InputCache({ size: cfg.size, mean: cfg.mean, std: cfg.std }, 0);
    probs = await predictRecords(model, records, cache, cfg.size, Math.max(8, cfg.batch * 2), skipped).finally(() =>
      model.close(),
    );
  }
  const bad = new Set(skipped.slice(before).map((s) => s.file));
  return records.flatMap((r, i) =>
    bad.has(r.path)
      ? []
      : [{ id: r.id, path: r.path, patient: r.patient, study: r.study, label: r.label ?? '', score: probs[i] }],
  );
}

export async function writeScores(path: string, rows: readonly ScoredImage[]): Promise<void> {
  const header = ['id', 'path', 'patient', 'study', 'label', 'score'];
  await writeFileAtomic(
    path,
    toCsv([header, ...rows.map((r) => [r.id, r.path, r.patient, r.study, r.label, r.score.toPrecision(9)])]),
  );
}
