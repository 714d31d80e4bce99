import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { renderImage, type RenderedImage, type RenderSpec } from './render.js';

/** What a dataset writer needs of a rendered image: its pixels and its label boxes. */
export type RenderedPixels = Pick<RenderedImage, 'image' | 'labels'>;

/** Below this many images a worker's start-up costs more than it saves. */
const MIN_IMAGES_FOR_WORKERS = 48;

/**
 * Render specs in order, on worker threads when there are enough of them (renderImage is deterministic in its
 * spec, so the pixels are the same on any thread). Yields each image in the specs' order, keeping at most a few
 * per worker in flight.
 */
export async function* renderInOrder(
  specs: readonly RenderSpec[],
  threads = availableParallelism(),
): AsyncGenerator<RenderedPixels> {
  const n = Math.min(threads, 4);
  if (n < 2 || specs.length < MIN_IMAGES_FOR_WORKERS) {
    for (const spec of specs) yield renderImage(spec);
    return;
  }
  const workers = Array.from({ length: n }, () => new Worker(new URL('./render-worker.js', import.meta.url)));
  const waiting = new Map<number, (r: RenderedPixels) => void>();
  const failed = new Promise<never>((_, reject) => {
    for (const w of workers) {
      w.on('message', (m: { index: number; rendered: RenderedPixels }) => {
        waiting.get(m.index)?.(m.rendered);
        waiting.delete(m.index);
      });
      w.on('error', reject);
      w.on('exit', (code) => {
        if (waiting.size > 0) reject(new Error(`phantom render worker stopped (exit code ${code})`));
      });
    }
  });
  failed.catch(() => {});
  const pending: Promise<RenderedPixels>[] = [];
  const send = (i: number) => {
    pending[i] = new Promise<RenderedPixels>((res) => waiting.set(i, res));
    workers[i % n].postMessage({ index: i, spec: specs[i] });
  };
  try {
    const ahead = 3 * n;
    for (let i = 0; i < Math.min(ahead, specs.length); i++) send(i);
    for (let i = 0; i < specs.length; i++) {
      const r = await Promise.race([pending[i], failed]);
      delete pending[i];
      if (i + ahead < specs.length) send(i + ahead);
      yield r;
    }
  } finally {
    waiting.clear();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
