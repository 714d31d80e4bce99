/**
 * A detection worker (node:worker_threads): holds one detector (the weights come in workerData), reads and
 * detects the images it is sent one at a time, and answers with the boxes, in the order asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DetectorModel, DetectOptions } from './detector.js';
import { detectRecord, type WorkerTask } from './record.js';

const { model, opts } = workerData as { model: DetectorModel; opts: DetectOptions };
const port = parentPort!;
port.on('message', (task: WorkerTask) => {
  void detectRecord(task, model, opts).then((reply) => port.postMessage(reply));
});
