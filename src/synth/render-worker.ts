import { parentPort } from 'node:worker_threads';
import { renderImage, type RenderSpec } from './render.js';
import type { RenderedPixels } from './render-pool.js';

/** Renders the specs render-pool.ts sends; replies with the pixels (transferred) and the label boxes. */
parentPort!.on('message', (m: { index: number; spec: RenderSpec }) => {
  const r = renderImage(m.spec);
  const reply: { index: number; rendered: RenderedPixels } = {
    index: m.index,
    rendered: { image: r.image, labels: r.labels },
  };
  parentPort!.postMessage(reply, [r.image.data.buffer as ArrayBuffer]);
});
