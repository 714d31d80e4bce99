import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../data/types.js';
import { readImage } from '../data/read-image.js';
import type { LabelBox } from '../labels/types.js';
import { readBoxes, writeBoxes, datasetSizes } from '../labels/formats/index.js';
import { detectLabels, loadDetectorModel } from '../labels/detect/detector.js';
import { evaluate, type Evaluation } from '../labels/detect/evaluate.js';
import { progress } from '../util/progress.js';

export type DetectorSummary = Evaluation & { source: 'detector' | 'given'; truth: string | null; failed: number };

/**
 * The study's label boxes: the user's file when given, else the detector's. When the data carries true boxes
 * (the phantom's labels.coco.json), the detector is scored against them. Writes the boxes used to `outPath`.
 */
export async function findLabels(ds: Dataset, given: string | undefined, outPath: string, dataDir: string): Promise<DetectorSummary | null> {
  const sizes = await datasetSizes(ds);
  const truthPath = join(dataDir, 'labels.coco.json');
  if (given) {
    // 'truth': the dataset's own true boxes (the phantom's labels.coco.json).
    if (given === 'truth' && !existsSync(truthPath)) throw new Error(`--boxes truth: ${truthPath} not found`);
    const boxes = await readBoxes(given === 'truth' ? truthPath : given, { dataset: ds });
    await writeBoxes(outPath, boxes, 'coco', sizes);
    return null;
  }
  const model = loadDetectorModel();
  const found: LabelBox[] = [];
  let failed = 0;
  const bar = progress('detect labels', ds.records.length);
  for (const r of ds.records) {
    try {
      found.push(...detectLabels(await readImage(r.path), r.id, model));
    } catch (err) {
      failed++;
      process.stderr.write(`skipped ${r.path}: ${(err as Error).message}\n`);
    }
    bar.tick();
  }
  bar.stop();
  await writeBoxes(outPath, found, 'coco', sizes);
  if (!existsSync(truthPath)) return null;
  const truth = await readBoxes(truthPath, { dataset: ds });
  return { ...evaluate(found, truth, ds.records.length), source: 'detector', truth: truthPath, failed };
}
