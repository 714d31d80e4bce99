/**
 * A detection worker (node:worker_threads): holds one detector (the weights come in workerData), reads and
 * detects the images it is sent one at a time, and answers with the boxes, in the order asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { detectLabels, type DetectorModel, type DetectOptions } from './detector.js';
import { readImage } from '../../data/index.js';

export interface WorkerTask {
  index: number;
  path: string;
  id: string;
  /** The record's frame of a multi-frame DICOM. */
  frame?: number;
}
export type WorkerReply =
  | { index: number; boxes: ReturnType<typeof detectLabels>; width: number; height: number }
  | { index: number; error: string };

const { model, opts } = workerData as { model: DetectorModel; opts: DetectOptions };
const port = parentPort!;
port.on('message', (task: WorkerTask) => {
  readImage(task.path, { frame: task.frame }).then(
    (img) => {
      let reply: WorkerReply;
      try {
        reply = {
          index: task.index,
          boxes: detectLabels(img, task.id, model, opts),
          width: img.width,
          height: img.height,
        };
      } catch (err) {
        reply = { index: task.index, error: (err as Error).message };
      }
      port.postMessage(reply);
    },
    (err: Error) =>
      port.postMessage({ index: task.index, error: err.message || 'cannot read image' } satisfies WorkerReply),
  );
});
