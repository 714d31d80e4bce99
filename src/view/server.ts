import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadStudy } from '../report/index.js';
import { readImage } from '../data/index.js';
import { encodeGrayPng } from '../data/index.js';
import { LABEL_CATEGORIES } from '../labels/index.js';
import { resolveInside } from './safe-path.js';
import { buildCatalog, type ViewerImage } from './catalog.js';
import { BoxStore } from './box-store.js';
import { APP_HTML, APP_CSS } from './app.js';
import { openDataFolder, openDataSource } from './data-source.js';
import { checkOutputFile } from '../util/index.js';

/** The browser code: client/app.ts, compiled by tsc next to this file. */
async function clientScript(): Promise<string> {
  const url = new URL('./client/app.js', import.meta.url);
  try {
    return await readFile(url, 'utf8');
  } catch {
    throw new Error(`${url.pathname}: the viewer's compiled browser code is missing; run \`npm run build\``);
  }
}

export interface ViewerOptions {
  /** 0 picks a free port. */
  port?: number;
  /** Data folder to serve originals from, instead of the one results.json names. */
  data?: string;
  /** Where edited boxes are saved (default STUDYDIR/boxes.edited.coco.json). */
  out?: string;
}

export interface Viewer {
  url: string;
  close(): Promise<void>;
  boxesPath: string;
}

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
};
const MAX_BODY = 2 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}
const json = (res: ServerResponse, status: number, v: unknown) =>
  send(res, status, JSON.stringify(v), 'application/json');

async function body(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(c as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw Object.assign(new Error('body is not valid JSON'), { status: 400 });
  }
}

/**
 * A local web app over a study folder (or, with no study, over a data folder's images for boxing them): test images with every arm's Grad-CAM overlay, sorting and filtering by
 * attention, counterfactual |Δp| and disagreement, and a box editor that saves COCO. Binds to 127.0.0.1 only and
 * serves files only from the study folder and its data folder.
 */
export async function startViewer(dir: string | undefined, opts: ViewerOptions = {}): Promise<Viewer> {
  if (opts.data && !existsSync(resolve(opts.data))) throw new Error(`${resolve(opts.data)}: data folder not found`);
  const data = dir ? await loadStudy(dir) : undefined;
  if (!data && !(opts.data && opts.out))
    throw new Error('without a study folder, give --data (the images to box) and --out (the file the boxes go to)');
  const folder = data ? undefined : await openDataFolder(resolve(opts.data!));
  const source = data ? await openDataSource(data, opts.data) : folder!;
  const dataDir = source.root;
  const boxesPath = resolve(opts.out ?? join(data!.dir, 'boxes.edited.coco.json'));
  // Edited boxes are an output: never written into the data the study read.
  await checkOutputFile(boxesPath, [
    { what: 'data folder', path: dataDir },
    { what: 'data source', path: source.source },
  ]);
  const store = new BoxStore(source.pathOf, boxesPath);
  await store.load(data?.dir);
  // Without a study, every image of the folder is listed, in its order, with no arms.
  const images: ViewerImage[] = data ? buildCatalog(data) : folder!.ids.map((id) => ({ id, arms: {} }));
  const known = new Set([...images.map((i) => i.id), ...Object.keys(store.all())]);
  const appJs = await clientScript();
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error & { status?: number }) => {
      if (!res.headersSent) json(res, err.status ?? 500, { error: err.message });
      else res.destroy();
    });
  });

  async function serveFile(res: ServerResponse, root: string, rest: string): Promise<void> {
    const r = await resolveInside(root, rest);
    if (!r.ok) return send(res, r.status, r.status === 403 ? 'forbidden' : 'not found');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(r.path).toLowerCase()] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    createReadStream(r.path).pipe(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Refused before its body is read: the connection ends with the answer, so no client reuses a half-read socket.
    const refuse = (message: string) => {
      res.setHeader('Connection', 'close');
      send(res, 403, message);
    };
    // Refuse other Host names, so a web page cannot reach the viewer through DNS rebinding.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) return refuse('forbidden host');
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const method = req.method ?? 'GET';

    if (method !== 'GET' && method !== 'HEAD') {
      // A write must come from the viewer's own page: a foreign Origin (another site's form or fetch) is refused.
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://127.0.0.1:${port}` && origin !== `http://localhost:${port}`) {
        return refuse('forbidden origin');
      }
    }
    if (method === 'POST' && path === '/api/boxes') {
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return json(res, 415, { error: 'send application/json' });
      const b = (await body(req)) as { id?: unknown; boxes?: unknown };
      if (typeof b?.id !== 'string' || !known.has(b.id))
        return json(res, 400, { error: `unknown image id ${JSON.stringify(b?.id)}` });
      if (!source.pathOf(b.id))
        return json(res, 404, { error: `image ${b.id}: not in the study's data (${source.source})` });
      try {
        const saved = await store.set(b.id, b.boxes);
        return json(res, 200, { id: b.id, boxes: saved, file: boxesPath });
      } catch (err) {
        return json(res, 400, { error: `image ${b.id}: ${(err as Error).message}` });
      }
    }
    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'method not allowed');

    if (path === '/' || path === '/index.html') return send(res, 200, APP_HTML, 'text/html; charset=utf-8');
    if (path === '/app.css') return send(res, 200, APP_CSS, 'text/css; charset=utf-8');
    if (path === '/app.js') return send(res, 200, appJs, 'text/javascript; charset=utf-8');
    if (path === '/api/study') {
      return json(res, 200, {
        dir: data?.dir ?? dataDir,
        study: Boolean(data),
        dataDir,
        dataSource: source.source,
        boxesPath,
        boxesSource: store.source,
        arms: data?.arms ?? [],
        categories: LABEL_CATEGORIES,
        images,
        boxes: store.all(),
        warnings: data?.warnings ?? [],
      });
    }
    if (path.startsWith('/original/')) {
      // Only images the study's data lists are served; the id is checked like any URL path first.
      const encoded = path.slice('/original/'.length);
      const r = await resolveInside(dataDir, encoded);
      if (!r.ok && r.status === 403) return send(res, 403, 'forbidden');
      const file = source.pathOf(
        encoded
          .split('/')
          .map((seg) => decodeURIComponent(seg))
          .join('/'),
      );
      if (!file || !existsSync(file)) return send(res, 404, 'not found');
      // Rendered to 8-bit PNG so DICOM and 16-bit sources show in any browser.
      return send(res, 200, await encodeGrayPng(await readImage(file), 8), 'image/png');
    }
    if (path.startsWith('/files/study/')) {
      if (!data) return send(res, 404, 'not found');
      return serveFile(res, data.dir, path.slice('/files/study/'.length));
    }
    if (path.startsWith('/files/data/')) return serveFile(res, dataDir, path.slice('/files/data/'.length));
    return send(res, 404, 'not found');
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(
        err.code === 'EADDRINUSE' ? new Error(`port ${opts.port} is already in use; pick another with --port`) : err,
      ),
    );
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    boxesPath,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
