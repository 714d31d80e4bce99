import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseScoreCsv, type ScoreRow } from '../stats/score-table.js';
import type { CamEntry, CounterfactualImage, ResultsFile } from './types.js';

/** Everything a study folder holds that the report and viewer show, read once. */
export interface StudyData {
  dir: string;
  results: ResultsFile;
  /** The dataset folder the study used: config.data, or STUDYDIR/data (the phantom). */
  dataDir: string;
  /** Arm names in results order, then any arm that has files but no results row. */
  arms: string[];
  scores: Map<string, ScoreRow[]>;
  attention: Map<string, CamEntry[]>;
  counterfactualImages: CounterfactualImage[];
  /** Files that were missing or unreadable: shown in the report, never fatal. */
  warnings: string[];
}

async function readJson<T>(path: string): Promise<T> {
  const text = await readFile(path, 'utf8');
  try { return JSON.parse(text) as T; } catch (err) { throw new Error(`${path}: not valid JSON (${(err as Error).message})`); }
}

/** The data folder named by results.json (relative paths are taken from the study folder), else STUDYDIR/data. */
export function studyDataDir(dir: string, results: ResultsFile): string {
  const d = results.config?.data;
  return typeof d === 'string' && d ? resolve(dir, d) : join(dir, 'data');
}

export async function loadStudy(dirIn: string): Promise<StudyData> {
  const dir = resolve(dirIn);
  const resultsPath = join(dir, 'results.json');
  if (!existsSync(resultsPath)) throw new Error(`${resultsPath}: not found; run \`confound study --out ${dirIn}\` first`);
  const results = await readJson<ResultsFile>(resultsPath);
  if (typeof results !== 'object' || results === null || Array.isArray(results)) throw new Error(`${resultsPath}: expected a JSON object`);
  if (results.arms !== undefined && !Array.isArray(results.arms)) throw new Error(`${resultsPath}: "arms" must be an array`);
  const warnings: string[] = [];
  const arms = (results.arms ?? []).map((a) => a.name);
  const scoreFiles = existsSync(join(dir, 'scores')) ? (await readdir(join(dir, 'scores'))).filter((f) => f.endsWith('.csv')).sort() : [];
  for (const f of scoreFiles) if (!arms.includes(f.slice(0, -4))) arms.push(f.slice(0, -4));

  const scores = new Map<string, ScoreRow[]>();
  const attention = new Map<string, CamEntry[]>();
  for (const arm of arms) {
    const sp = join(dir, 'scores', `${arm}.csv`);
    if (existsSync(sp)) {
      try { scores.set(arm, parseScoreCsv(await readFile(sp, 'utf8'), sp)); } catch (err) { warnings.push((err as Error).message); }
    } else warnings.push(`${sp}: missing (no ROC curve for ${arm})`);
    const ap = join(dir, 'cam', arm, 'attention.json');
    if (existsSync(ap)) {
      try {
        const v = await readJson<CamEntry[]>(ap);
        if (!Array.isArray(v)) throw new Error(`${ap}: expected an array of per-image entries`);
        attention.set(arm, v.filter((e) => e && typeof e.id === 'string'));
      } catch (err) { warnings.push((err as Error).message); }
    } else warnings.push(`${ap}: missing (no per-image attention for ${arm})`);
  }

  let counterfactualImages: CounterfactualImage[] = [];
  const cp = join(dir, 'counterfactual.json');
  if (existsSync(cp)) {
    try {
      const v = await readJson<{ images?: CounterfactualImage[] }>(cp);
      counterfactualImages = Array.isArray(v.images) ? v.images : [];
    } catch (err) { warnings.push((err as Error).message); }
  }
  return { dir, results, dataDir: studyDataDir(dir, results), arms, scores, attention, counterfactualImages, warnings };
}

/** The file stem cam/<arm>/ uses for an image id (see explain/run-cam.ts). */
export function camStem(id: string): string {
  return id.replace(/[\\/]/g, '__').replace(/\.[^.]+$/, '');
}
