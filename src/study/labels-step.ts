import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset, ImageRecord } from '../data/index.js';
import type { LabelBox } from '../labels/index.js';
import { readBoxes, writeBoxes, datasetSizes } from '../labels/index.js';
import {
  DEFAULT_MODEL_URL,
  detectDataset,
  evaluate,
  EXPECTED_COVERAGE,
  loadDetectorModel,
  type Evaluation,
  type ExpectedCoverage,
} from '../labels/index.js';
import { progress } from '../util/index.js';

/**
 * When the study's boxes are the detector's: how many images it ran on, those where it found no label (a user
 * should look at them: a label it missed stays in the "covered" arm), and the coverage expected of it on real
 * films (EXPECTED_COVERAGE, measured on the real development set with these weights).
 */
export interface DetectorRun {
  images: number;
  failed: number;
  no_label_images: string[];
  expected_coverage: ExpectedCoverage | null;
}
/** How the detector did against the data's true boxes, and on which images it was scored. */
export type DetectorSummary = Evaluation & { scored_on: string; truth: string; failed: number; run?: DetectorRun };
/** The detector was only to be scored on the side (boxes came from elsewhere) and could not run. */
export type DetectorError = { error: string };
/** The detector found the boxes and the data has no truth to score it against. */
export type DetectorRunOnly = { run: DetectorRun };

/** The expected coverage, when the default weights are the ones it was measured with. */
export async function expectedCoverage(): Promise<ExpectedCoverage | null> {
  let sha: string;
  try {
    sha = createHash('sha256')
      .update(await readFile(DEFAULT_MODEL_URL))
      .digest('hex');
  } catch {
    return null;
  }
  const { weights_sha256, ...rest } = EXPECTED_COVERAGE;
  return { ...rest, weights_match: sha === weights_sha256 };
}

async function runSummary(
  records: readonly ImageRecord[],
  detected: { boxes: LabelBox[]; failed: number; failedIds: Set<string> },
): Promise<DetectorRun> {
  const withLabel = new Set(detected.boxes.map((b) => b.file));
  return {
    images: records.length,
    failed: detected.failed,
    no_label_images: records.filter((r) => !withLabel.has(r.id) && !detected.failedIds.has(r.id)).map((r) => r.id),
    expected_coverage: await expectedCoverage(),
  };
}

/** Where the study's label boxes come from. */
export type BoxSource = { kind: 'file'; path: string } | { kind: 'truth' } | { kind: 'detect' };

/** The detector over records: the one detectDataset (worker threads, one decode per image); bad files skipped. */
async function detectAll(
  records: readonly ImageRecord[],
): Promise<{ boxes: LabelBox[]; failed: number; failedIds: Set<string> }> {
  const bar = progress('detect labels', records.length);
  const res = await detectDataset(records, loadDetectorModel(), {}, () => bar.tick());
  bar.stop();
  for (const issue of res.issues) process.stderr.write(`skipped ${issue.file}: ${issue.message}\n`);
  const byPath = new Map(records.map((r) => [r.path, r.id]));
  return {
    boxes: res.boxes,
    failed: res.issues.length,
    failedIds: new Set(res.issues.map((i) => byPath.get(i.file) ?? i.file)),
  };
}

/**
 * Write the study's label boxes to `outPath`: the user's file, the data's own true boxes (the phantom's
 * labels.coco.json), or the detector's. Whenever the data has true boxes, the detector is scored against them
 * on `scoreOn` (the test images), so the report says how well boxes would be found without the truth.
 */
export async function findLabels(
  ds: Dataset,
  source: BoxSource,
  outPath: string,
  dataDir: string,
  scoreOn: readonly ImageRecord[],
): Promise<DetectorSummary | DetectorError | DetectorRunOnly | null> {
  const sizes = await datasetSizes(ds);
  const truthPath = join(dataDir, 'labels.coco.json');
  const hasTruth = existsSync(truthPath);
  if (source.kind === 'truth' && !hasTruth) throw new Error(`--boxes truth: ${truthPath} not found`);
  let detected: { boxes: LabelBox[]; failed: number; failedIds: Set<string> } | undefined;
  let run: DetectorRun | undefined;
  if (source.kind === 'detect') {
    detected = await detectAll(ds.records);
    await writeBoxes(outPath, detected.boxes, 'coco', sizes);
    run = await runSummary(ds.records, detected);
  } else {
    const boxes = await readBoxes(source.kind === 'truth' ? truthPath : source.path, { dataset: ds });
    await writeBoxes(outPath, boxes, 'coco', sizes);
  }
  if (!hasTruth) return run ? { run } : null;
  const ids = new Set(scoreOn.map((r) => r.id));
  const truth = (await readBoxes(truthPath, { dataset: ds })).filter((b) => ids.has(b.file));
  if (!detected) {
    // Scoring the detector is a side report when the boxes came from elsewhere: its failure must not stop the study.
    try {
      detected = await detectAll(scoreOn);
    } catch (err) {
      process.stderr.write(`detector not scored: ${(err as Error).message}\n`);
      return { error: (err as Error).message };
    }
  }
  const found = detected.boxes.filter((b) => ids.has(b.file));
  return {
    ...evaluate(found, truth, ids.size),
    scored_on: `${ids.size} test images`,
    truth: truthPath,
    failed: detected.failed,
    ...(run ? { run } : {}),
  };
}
