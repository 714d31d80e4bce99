import { parentPort, workerData } from 'node:worker_threads';
import { readImage } from '../src/data/read-image.js';

// One of bench/dicom.ts's decoding threads: decodes the first file once to warm up, says it is ready, and on "go"
// decodes its share of the files.
const paths = workerData as string[];
await readImage(paths[0]);
parentPort!.once('message', async () => {
  for (const p of paths) await readImage(p);
  parentPort!.postMessage('done');
});
parentPort!.postMessage('ready');
