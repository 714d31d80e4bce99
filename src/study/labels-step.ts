import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset, ImageRecord } from '../data/types.js';
import type { LabelBox } from '../labels/types.js';
import { readBoxes, writeBoxes, datasetSizes } from '../labels/formats/index.js';
import { detectDataset, evaluate, loadDetectorModel, type Evaluation } from '../labels/detect/index.js';
import { progress } from '../util/progress.js';

/** How the detector did against the data's true boxes, and on which images it was scored. */
export type DetectorSummary = Evaluation & { scored_on: string; truth: string; failed: number };
/** The detector was only to be scored on the side (boxes came from elsewhere) and could not run. */
export type DetectorError = { error: string };

/** Where the study's label boxes come from. */
export type BoxSource = { kind: 'file'; path: string } | { kind: 'truth' } | { kind: 'detect' };

/** The detector over records: the one detectDataset (worker threads, one decode per image); bad files skipped. */
async function detectAll(records: readonly ImageRecord[]): Promise<{ boxes: LabelBox[]; failed: number }> {
  const bar = progress('detect labels', records.length);
  const res = await detectDataset(records, loadDetectorModel(), {}, () => bar.tick());
  bar.stop();
  for (const issue of res.issues) process.stderr.write(`skipped ${issue.file}: ${issue.message}\n`);
  return { boxes: res.boxes, failed: res.issues.length };
}

/**
 * Write the study's label boxes to `outPath`: the user's file, the data's own true boxes (the phantom's
 * labels.coco.json), or the detector's. Whenever the data has true boxes, the detector is scored against them
 * on `scoreOn` (the test images), so the report says how well boxes would be found without the truth.
 */
export async function findLabels(ds: Dataset, source: BoxSource, outPath: string, dataDir: string, scoreOn: readonly ImageRecord[]): Promise<DetectorSummary | DetectorError | null> {
  const sizes = await datasetSizes(ds);
  const truthPath = join(dataDir, 'labels.coco.json');
  const hasTruth = existsSync(truthPath);
  if (source.kind === 'truth' && !hasTruth) throw new Error(`--boxes truth: ${truthPath} not found`);
  let detected: { boxes: LabelBox[]; failed: number } | undefined;
  if (source.kind === 'detect') {
    detected = await detectAll(ds.records);
    await writeBoxes(outPath, detected.boxes, 'coco', sizes);
  } else {
    const boxes = await readBoxes(source.kind === 'truth' ? truthPath : source.path, { dataset: ds });
    await writeBoxes(outPath, boxes, 'coco', sizes);
  }
  if (!hasTruth) return null;
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
  return { ...evaluate(found, truth, ids.size), scored_on: `${ids.size} test images`, truth: truthPath, failed: detected.failed };
}
