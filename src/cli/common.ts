import { loadDataset } from '../data/index.js';
import type { Dataset } from '../data/index.js';
import { printSkipped } from './outcome.js';
import type { DeviceChoice } from '../engine/index.js';
import { checkMaskedCopy } from '../variants/index.js';
import type { InputPath } from '../util/index.js';

/**
 * Load a dataset, name its per-file problems on stderr, and fail if nothing usable is left. The command counts
 * ds.issues in its closing finishBatch line.
 */
export async function loadDatasetReported(dir: string, opts: { allowOutside?: boolean } = {}): Promise<Dataset> {
  checkMaskedCopy(dir);
  const ds = await loadDataset(dir, { allowOutside: opts.allowOutside });
  printSkipped(ds.issues);
  if (ds.records.length === 0) throw new Error(`${dir}: no usable images`);
  return ds;
}

/** The inputs a command's outputs must stay out of: the dataset as named, and the folder its images are under. */
export function datasetInputs(dataArg: string, ds: Dataset): InputPath[] {
  return [
    { what: 'dataset', path: dataArg },
    { what: 'dataset folder', path: ds.root },
  ];
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** What the commands that use a trained run share: the chosen split's records, boxes, and the run ready to score. */
export async function openRunWithData(o: {
  run: string;
  data: string;
  split: string;
  boxes?: string;
  threads?: number;
  allowOutside?: boolean;
  device?: DeviceChoice;
}) {
  const { checkChoice } = await import('../util/index.js');
  const { openRun, checkTrainedRun, applySplitFile } = await import('../train/index.js');
  const { readBoxes, indexBoxes } = await import('../labels/index.js');
  const split = checkChoice('--split', o.split, ['train', 'valid', 'test', 'all'] as const);
  await checkTrainedRun(o.run);
  const ds = await loadDatasetReported(o.data, o);
  const records = split === 'all' ? ds.records : (await applySplitFile(o.run, ds.records, '--run'))[split];
  const boxes = indexBoxes(o.boxes ? await readBoxes(o.boxes, { dataset: ds }) : []);
  const run = await openRun(o.run, { threads: o.threads, device: o.device });
  return { split, records, boxes, run, ds, loadSkipped: ds.issues.length };
}
