import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseScoreCsv, type ScoreRow } from '../stats/index.js';
import { isComplete } from '../util/index.js';
import {
  readResults,
  readJsonFile,
  studyDataSource,
  studyPaths,
  AttentionFileSchema,
  CounterfactualFileSchema,
  type CamEntry,
  type CounterfactualImage,
  type StudyResults,
} from '../study/index.js';

/** Everything a study folder holds that the report and viewer show, read once through the folder's contract. */
export interface StudyData {
  dir: string;
  results: StudyResults;
  /** The data the study read: config.data (a folder or a CSV manifest), or STUDYDIR/data (the phantom). */
  dataSource: string;
  /** Arm names in results order. */
  arms: string[];
  scores: Map<string, ScoreRow[]>;
  attention: Map<string, CamEntry[]>;
  counterfactualImages: CounterfactualImage[];
  /** Per-image files that were missing or unreadable: shown in the report, never fatal. */
  warnings: string[];
}

export async function loadStudy(dirIn: string): Promise<StudyData> {
  const paths = studyPaths(dirIn);
  const results = await readResults(paths.root);
  const warnings: string[] = [];
  const arms = results.arms.map((a) => a.name);
  const scores = new Map<string, ScoreRow[]>();
  const attention = new Map<string, CamEntry[]>();
  for (const arm of arms) {
    const sp = paths.scores(arm);
    if (existsSync(sp)) {
      try {
        scores.set(arm, parseScoreCsv(await readFile(sp, 'utf8'), sp));
      } catch (err) {
        warnings.push((err as Error).message);
      }
    } else warnings.push(`${sp}: missing (no ROC curve for ${arm})`);
    const ap = paths.attention(arm);
    if (existsSync(ap) && !isComplete(paths.cam(arm))) {
      warnings.push(`${paths.cam(arm)}: unfinished (no completion mark); rerun the study to finish it`);
    } else if (existsSync(ap)) {
      try {
        attention.set(arm, await readJsonFile(ap, AttentionFileSchema));
      } catch (err) {
        warnings.push((err as Error).message);
      }
    } else warnings.push(`${ap}: missing (no per-image attention for ${arm})`);
  }
  let counterfactualImages: CounterfactualImage[] = [];
  if (existsSync(paths.counterfactual)) {
    try {
      counterfactualImages = (await readJsonFile(paths.counterfactual, CounterfactualFileSchema)).images;
    } catch (err) {
      warnings.push((err as Error).message);
    }
  }
  return {
    dir: paths.root,
    results,
    dataSource: studyDataSource(paths.root, results),
    arms,
    scores,
    attention,
    counterfactualImages,
    warnings,
  };
}
