import { workerData } from 'node:worker_threads';
import { readImage } from '../src/data/read-image.js';

// One of bench/dicom.ts's decoding threads: decodes its share of the files (the first one twice, to warm up).
const paths = workerData as string[];
await readImage(paths[0]);
for (const p of paths) await readImage(p);
