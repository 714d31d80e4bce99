import type { ImageRecord } from '../data/index.js';
import type { LabelBox } from '../labels/index.js';
import { counterfactual, type CounterfactualResult } from '../explain/index.js';
import { verdictOf } from '../audit/index.js';
import { openRun } from '../train/index.js';
import { writeJsonFile, CounterfactualFileSchema, type StudyResults } from './folder.js';
import type { DeviceChoice } from '../engine/index.js';

type CounterfactualSummary = Omit<CounterfactualResult, 'images'>;

export interface CounterfactualStep {
  all: CounterfactualSummary;
  verdict: NonNullable<StudyResults['counterfactual']>['verdict'];
  categories: Record<string, CounterfactualSummary>;
}

function summary(r: CounterfactualResult): CounterfactualSummary {
  const { images: _images, ...rest } = r;
  return rest;
}

/**
 * The cover test on the original model: every label covered, then each category alone when the labels have
 * several; judged by the same verdict module as the audit.
 */
export async function counterfactualStep(o: {
  runDir: string;
  outFile: string;
  test: readonly ImageRecord[];
  boxes: ReadonlyMap<string, readonly LabelBox[]>;
  seed: number;
  margin: number;
  threads?: number;
  device?: DeviceChoice;
}): Promise<CounterfactualStep> {
  using run = await openRun(o.runDir, { threads: o.threads, device: o.device });
  const scorer = run.scorer();
  const all = await counterfactual(scorer, o.test, o.boxes, { margin: o.margin, seed: o.seed });
  await writeJsonFile(o.outFile, CounterfactualFileSchema, all);
  const categories: Record<string, CounterfactualSummary> = {};
  const present = new Set([...o.boxes.values()].flat().map((b) => b.category));
  if (present.size > 1) {
    for (const cat of [...present].sort()) {
      categories[cat] = summary(
        await counterfactual(scorer, o.test, o.boxes, { margin: o.margin, seed: o.seed, categories: [cat] }),
      );
    }
  }
  return { all: summary(all), verdict: verdictOf(all, undefined, o.seed), categories };
}
