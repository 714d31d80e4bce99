import type { Dataset, ImageRecord } from '../data/index.js';
import type { BoxIndex } from '../labels/index.js';
import { indexBoxes, readBoxes, type BoxFormat } from '../labels/index.js';
import { progress } from '../util/index.js';

export interface BoxSource {
  /** A box file (COCO, YOLO folder, CSV, Presidio JSON); otherwise the detector finds the labels. */
  file?: string;
  format?: BoxFormat;
  /** Detector weights (default: the shipped models/detector.json). */
  detectorModel?: string;
}

export interface FoundBoxes {
  boxes: BoxIndex;
  source: 'file' | 'detector';
  failed: { file: string; message: string }[];
}

/** Label boxes for the audit: read from the user's file, or found by the detector image by image (failures skipped). */
export async function auditBoxes(ds: Dataset, records: readonly ImageRecord[], src: BoxSource): Promise<FoundBoxes> {
  if (src.file)
    return {
      boxes: indexBoxes(await readBoxes(src.file, { dataset: ds, format: src.format })),
      source: 'file',
      failed: [],
    };
  const { detectDataset, loadDetectorModel } = await import('../labels/index.js');
  const bar = progress('detect labels', records.length);
  const res = await detectDataset(records, loadDetectorModel(src.detectorModel), {}, () => bar.tick());
  bar.stop();
  return { boxes: indexBoxes(res.boxes), source: 'detector', failed: res.issues };
}
