import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { encodeGrayPng } from '../../src/data/index.js';
import { readTruth } from '../../src/labels/index.js';
import { startViewer, resolveInside, buildCatalog } from '../../src/view/index.js';
import { loadStudy } from '../../src/report/index.js';
import { readBoxes } from '../../src/labels/formats/index.js';
import { makeFakeStudy } from '../fixtures/study/make-study.js';
import { SKIP_BROWSER, launch } from '../report/browser.js';

/** A raw HTTP request: the path is sent exactly as given (no URL normalisation of "..", unlike fetch and browsers). */
function raw(
  url: string,
  path: string,
  opts: { method?: string; host?: string; body?: string; type?: string; origin?: string } = {},
): Promise<{ status: number; body: Buffer; type?: string }> {
  const u = new URL(url);
  const headers = {
    Host: opts.host ?? u.host,
    ...(opts.type ? { 'Content-Type': opts.type } : {}),
    ...(opts.origin ? { Origin: opts.origin } : {}),
  };
  return new Promise((ok, fail) => {
    const req = request({ host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        ok({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), type: res.headers['content-type'] }),
      );
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

test('resolveInside: files inside are served; "..", encoded dots and slashes, absolute paths and escaping symlinks are refused', async () => {
  const s = await makeFakeStudy({ images: 4, overlays: 1 });
  await symlink('/etc', join(s.dir, 'escape'));
  await symlink(join(s.dir, 'results.json'), join(s.dir, 'inside-link.json'));
  const ok = await resolveInside(s.dir, 'results.json');
  assert.ok(ok.ok);
  assert.ok((await resolveInside(s.dir, 'inside-link.json')).ok);
  for (const bad of [
    '../etc/passwd',
    'scores/../../x',
    '%2e%2e/x',
    '%2E%2E%2Fx',
    'scores%2F..%2F..%2Fx',
    '/etc/passwd',
    '%2Fetc%2Fpasswd',
    'a%5C..%5Cb',
    'escape/passwd',
    './results.json',
    'x%00y',
    '%E0%A4%A',
  ]) {
    const r = await resolveInside(s.dir, bad);
    assert.equal(r.ok, false, bad);
    if (!r.ok) assert.equal(r.status, 403, bad);
  }
  const missing = await resolveInside(s.dir, 'nope.json');
  assert.ok(!missing.ok && missing.status === 404);
  await rm(s.dir, { recursive: true, force: true });
});

test("catalog: every test image with each arm's score, attention and overlay, counterfactual |Δp| and disagreement", async () => {
  const s = await makeFakeStudy({ images: 8, overlays: 3 });
  const images = buildCatalog(await loadStudy(s.dir));
  assert.deepEqual(
    images.map((i) => i.id),
    s.ids,
  );
  const cf = JSON.parse(await readFile(join(s.dir, 'counterfactual.json'), 'utf8')).images as {
    id: string;
    p_original: number;
    p_covered: number;
  }[];
  for (const im of images) {
    const scores = Object.values(im.arms).map((a) => a.score!);
    assert.equal(scores.length, 4);
    assert.ok(Math.abs(im.disagreement! - (Math.max(...scores) - Math.min(...scores))) < 1e-12);
    const c = cf.find((x) => x.id === im.id)!;
    assert.ok(Math.abs(im.dp! - Math.abs(c.p_covered - c.p_original)) < 1e-12);
  }
  assert.equal(images.filter((i) => i.arms.original.overlay).length, 3);
  assert.ok(existsSync(join(s.dir, images[0].arms.covered.overlay!)));
  await rm(s.dir, { recursive: true, force: true });
});

test('viewer HTTP: serves the app, study files and originals; refuses traversal, other hosts, bad ids and bad boxes', async () => {
  const s = await makeFakeStudy({ images: 6, overlays: 2, dataOutside: true });
  const v = await startViewer(s.dir, { port: 0 });
  try {
    assert.match(v.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal((await raw(v.url, '/')).status, 200);
    assert.equal((await raw(v.url, '/files/study/results.json')).status, 200);
    const orig = await raw(v.url, `/original/${s.ids[0]}`);
    assert.equal(orig.status, 200);
    assert.equal(orig.type, 'image/png');
    assert.equal((await raw(v.url, `/files/data/${s.ids[0]}`)).status, 200);
    await writeFile(join(s.dataDir, '..', 'secret.txt'), 'secret');
    for (const p of [
      '/files/study/../results.json',
      '/files/study/../../etc/passwd',
      '/files/study/%2e%2e/%2e%2e/etc/passwd',
      '/files/study/..%2f..%2fetc%2fpasswd',
      '/files/data/../secret.txt',
      '/files/data/%2E%2E/secret.txt',
      '/original/../../etc/passwd',
      '/original/%2e%2e%2fsecret.txt',
      '/files/study//etc/passwd',
      '/files/study/%2fetc%2fpasswd',
    ]) {
      const r = await raw(v.url, p);
      assert.ok(r.status === 403 || r.status === 404, `${p}: ${r.status}`);
      assert.ok(!r.body.toString().includes('secret') && !r.body.toString().includes('root:'), p);
    }
    assert.equal((await raw(v.url, '/files/study/../../etc/passwd')).status, 403);
    assert.equal((await raw(v.url, '/api/study', { host: 'evil.example:80' })).status, 403);
    const study = JSON.parse((await raw(v.url, '/api/study')).body.toString());
    assert.equal(study.images.length, 6);
    assert.deepEqual(study.arms, ['original', 'covered', 'labels-only', 'random-cover']);
    const post = (body: unknown, type = 'application/json') =>
      raw(v.url, '/api/boxes', { method: 'POST', body: JSON.stringify(body), type });
    assert.equal((await post({ id: '../../etc/passwd', boxes: [] })).status, 400);
    assert.equal((await post({ id: s.ids[0], boxes: [{ x: 1, y: 1, w: 5, h: 5, category: 'nonsense' }] })).status, 400);
    assert.equal((await post({ id: s.ids[0], boxes: [] }, 'text/plain')).status, 415);
    // Boxes with no area, or not wholly inside the 64 x 64 image, are refused; nothing is saved for them.
    for (const bad of [
      { x: 50, y: 60, w: 40, h: 40 },
      { x: 10, y: 10, w: -5, h: 5 },
      { x: 10, y: 10, w: 0, h: 5 },
      { x: -1, y: 0, w: 5, h: 5 },
      { x: 0, y: 64, w: 5, h: 1 },
      { x: 60, y: 0, w: 5, h: 5 },
    ]) {
      const r = await post({ id: s.ids[1], boxes: [{ ...bad, category: 'laterality' }] });
      assert.equal(r.status, 400, JSON.stringify(bad));
      assert.match(JSON.parse(r.body.toString()).error, /box 0: /);
    }
    // Text longer than the limit, or not a string, is refused with a reason rather than cut short or dropped.
    for (const [text, why] of [
      ['x'.repeat(121), /box 0: text is 121 characters, more than 120/],
      [12, /box 0: text is not a string/],
    ] as const) {
      const r = await post({ id: s.ids[1], boxes: [{ x: 1, y: 1, w: 5, h: 5, category: 'other', text }] });
      assert.equal(r.status, 400);
      assert.match(JSON.parse(r.body.toString()).error, why);
    }
    assert.equal(existsSync(v.boxesPath), false);
    // A box inside the image is saved with the others.
    const r = await post({
      id: s.ids[1],
      boxes: [{ x: 50, y: 59, w: 14, h: 5, category: 'technologist', text: 'AB' }],
    });
    assert.equal(r.status, 200);
    const saved = await readBoxes(v.boxesPath);
    const mine = saved.filter((b) => b.file === s.ids[1]);
    assert.deepEqual(
      mine.map(({ x, y, w, h, category, text }) => ({ x, y, w, h, category, text })),
      [{ x: 50, y: 59, w: 14, h: 5, category: 'technologist', text: 'AB' }],
    );
    assert.equal(saved.filter((b) => b.file !== s.ids[1]).length, s.boxes.length - 1);
  } finally {
    await v.close();
    await rm(s.dir, { recursive: true, force: true });
    await rm(s.dataDir, { recursive: true, force: true });
  }
});

test('viewer in chromium: a box drawn by mouse drag is saved to the COCO file; ../ URLs are refused', {
  skip: SKIP_BROWSER,
}, async () => {
  const s = await makeFakeStudy({ images: 6, overlays: 3 });
  const v = await startViewer(s.dir, { port: 0 });
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(v.url);
    await page.waitForSelector('#canvas[data-ready]');
    const id = await page.locator('#title').textContent();
    assert.ok(id && s.ids.includes(id));
    const before = await page.locator('#boxes rect.box').count();
    // Every arm's overlay is shown side by side for the selected image.
    assert.equal(await page.locator('#arms .arm img').count(), 4);
    const c = (await page.locator('#canvas').boundingBox())!;
    // Draw from image pixel (40, 20) to (56, 36): the 64 px image fills the canvas.
    const at = (px: number) => px / 64;
    await page.mouse.move(c.x + c.width * at(40), c.y + c.height * at(20));
    await page.mouse.down();
    await page.mouse.move(c.x + c.width * at(48), c.y + c.height * at(28), { steps: 4 });
    await page.mouse.move(c.x + c.width * at(56), c.y + c.height * at(36), { steps: 4 });
    await page.mouse.up();
    assert.equal(await page.locator('#boxes rect.box').count(), before + 1);
    await page.locator('#boxtable tbody tr.boxrow').last().locator('select').selectOption('other');
    await page.click('#save');
    await page.waitForSelector('#status[data-saved]');
    const saved = (await readBoxes(v.boxesPath)).filter((b) => b.file === id);
    assert.equal(saved.length, before + 1);
    const drawn = saved.find((b) => b.category === 'other');
    assert.ok(drawn, 'the drawn box is saved with the chosen category');
    for (const [k, want] of [
      ['x', 40],
      ['y', 20],
      ['w', 16],
      ['h', 16],
    ] as const)
      assert.ok(Math.abs(drawn[k] - want) <= 1, `${k}: ${drawn[k]} vs ${want}`);

    // Moving the drawn box by dragging it, then deleting the first one, is saved too.
    await page.mouse.move(c.x + c.width * at(48), c.y + c.height * at(28));
    await page.mouse.down();
    await page.mouse.move(c.x + c.width * at(52), c.y + c.height * at(30), { steps: 4 });
    await page.mouse.up();
    await page.click('#save');
    await page.waitForFunction(() => document.querySelector('#status')!.textContent!.startsWith('saved'));
    const moved = (await readBoxes(v.boxesPath)).find((b) => b.file === id && b.category === 'other')!;
    assert.ok(Math.abs(moved.x - 44) <= 1 && Math.abs(moved.y - 22) <= 1, `moved to ${moved.x},${moved.y}`);

    // Browsers resolve "../" and "%2e%2e/" before sending (WHATWG URL), so only dots with encoded separators reach the server from a page.
    for (const p of [
      'files/study/..%2f..%2fetc%2fpasswd',
      'files/study/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      'original/..%5c..%5cetc%5cpasswd',
      'files/data/%2E%2E%2F%2E%2E%2Fresults.json',
    ]) {
      const res = await page.goto(v.url + p);
      assert.equal(res?.status(), 403, p);
    }
    for (const p of ['files/study/../../../../etc/passwd', 'files/study/%2e%2e/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await page.goto(v.url + p);
      assert.ok(res && res.status() === 404 && !(await res.text()).includes('root:'), p);
    }
    assert.deepEqual(
      errors.filter((e) => !/status of 40[34]/.test(e)),
      [],
    );
  } finally {
    await browser.close();
    await v.close();
    await rm(s.dir, { recursive: true, force: true });
  }
});

test('viewer in chromium: zoom shows image pixels 1:1 for drawing; coordinates and text typed in the box table are saved', {
  skip: SKIP_BROWSER,
}, async () => {
  const s = await makeFakeStudy({ images: 4, overlays: 0 });
  const v = await startViewer(s.dir, { port: 0 });
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(v.url);
    await page.waitForSelector('#canvas[data-ready]');
    const id = (await page.locator('#title').textContent())!;
    // At 4x the 64 px image is 256 screen px wide, so one screen pixel is a quarter of an image pixel.
    await page.locator('#zoom').selectOption('4');
    const c = (await page.locator('#canvas').boundingBox())!;
    assert.equal(Math.round(c.width), 256);
    await page.mouse.move(c.x + 30 * 4 + 1, c.y + 40 * 4 + 1);
    await page.mouse.down();
    await page.mouse.move(c.x + 41 * 4 + 1, c.y + 47 * 4 + 1, { steps: 4 });
    await page.mouse.up();
    const row = page.locator('#boxtable tbody tr.boxrow').last();
    await row.locator('select').selectOption('technologist');
    await page.locator('#boxtable tbody tr.textrow').last().locator('input.text').fill('JK (initials)');
    // A typed coordinate replaces the drawn one; a width past the image edge stops at the edge.
    await row.locator('input[data-k="y"]').fill('41');
    await row.locator('input[data-k="y"]').press('Tab');
    await page.locator('#boxtable tbody tr.boxrow').last().locator('input[data-k="w"]').fill('99');
    await page.locator('#boxtable tbody tr.boxrow').last().locator('input[data-k="w"]').press('Tab');
    await page.click('#save');
    await page.waitForSelector('#status[data-saved]');
    const drawn = (await readBoxes(v.boxesPath)).find((b) => b.file === id && b.category === 'technologist');
    assert.ok(drawn, 'the drawn box is saved');
    assert.deepEqual(
      { x: drawn.x, y: drawn.y, w: drawn.w, h: drawn.h, text: drawn.text },
      { x: 30, y: 41, w: 34, h: 7, text: 'JK (initials)' },
    );
    // Back to fit: the canvas is its panel's 560 px again (not the 300 px an svg falls back to in a shrinking box).
    await page.locator('#zoom').selectOption('0');
    assert.equal(Math.round((await page.locator('#canvas').boundingBox())!.width), 560);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await v.close();
    await rm(s.dir, { recursive: true, force: true });
  }
});

test('viewer: a missing study is a clear error; a second session starts from the edited boxes', async () => {
  await assert.rejects(startViewer('/nonexistent-study'), /results\.json: not found/);
  const s = await makeFakeStudy({ images: 4, overlays: 0 });
  await mkdir(join(s.dir, 'x'), { recursive: true });
  const v1 = await startViewer(s.dir, { port: 0 });
  const r = await raw(v1.url, '/api/boxes', {
    method: 'POST',
    type: 'application/json',
    body: JSON.stringify({ id: s.ids[0], boxes: [] }),
  });
  assert.equal(r.status, 200);
  await v1.close();
  const v2 = await startViewer(s.dir, { port: 0 });
  try {
    const study = JSON.parse((await raw(v2.url, '/api/study')).body.toString());
    assert.equal(study.boxesSource, v2.boxesPath);
    assert.equal((study.boxes[s.ids[0]] ?? []).length, 0);
    assert.equal(study.boxes[s.ids[1]].length, 1);
  } finally {
    await v2.close();
    await rm(s.dir, { recursive: true, force: true });
  }
});

test("viewer writes: a foreign Origin or Host is refused with 403 and nothing is saved; the page's own origin may write", async () => {
  const s = await makeFakeStudy({ images: 4, overlays: 0 });
  const v = await startViewer(s.dir, { port: 0 });
  try {
    const body = JSON.stringify({ id: s.ids[0], boxes: [{ x: 1, y: 1, w: 4, h: 4, category: 'other' }] });
    const port = new URL(v.url).port;
    for (const m of ['POST', 'PUT', 'DELETE']) {
      for (const origin of [
        'http://evil.example',
        'null',
        `http://127.0.0.1:${Number(port) + 1}`,
        `https://127.0.0.1:${port}`,
      ]) {
        const r = await raw(v.url, '/api/boxes', { method: m, type: 'application/json', body, origin });
        assert.equal(r.status, 403, `${m} from ${origin}`);
      }
      for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`]) {
        const r = await raw(v.url, '/api/boxes', {
          method: m,
          type: 'application/json',
          body,
          host,
          origin: v.url.slice(0, -1),
        });
        assert.equal(r.status, 403, `${m} to host ${host}`);
      }
    }
    assert.equal(existsSync(v.boxesPath), false);
    for (const origin of [v.url.slice(0, -1), `http://localhost:${port}`]) {
      const r = await raw(v.url, '/api/boxes', { method: 'POST', type: 'application/json', body, origin });
      assert.equal(r.status, 200, origin);
    }
    assert.equal((await readBoxes(v.boxesPath)).filter((b) => b.file === s.ids[0]).length, 1);
  } finally {
    await v.close();
    await rm(s.dir, { recursive: true, force: true });
  }
});

test("viewer on a study built from a CSV manifest: originals are served and boxes saved, through the study's loader", async () => {
  const s = await makeFakeStudy({ images: 4, overlays: 1, dataOutside: true });
  // The same images listed by a manifest, as `confound study --data DATA/list.csv` records them.
  const csv = join(s.dataDir, 'list.csv');
  await writeFile(
    csv,
    'path,label,patient\n' + s.ids.map((id, k) => `${id},${k % 2 === 0 ? 1 : 0},p${k}`).join('\n') + '\n',
  );
  const results = JSON.parse(await readFile(join(s.dir, 'results.json'), 'utf8'));
  results.config.data = csv;
  results.dataset = { ...results.dataset, root: s.dataDir, format: 'manifest' };
  await writeFile(join(s.dir, 'results.json'), JSON.stringify(results));
  const v = await startViewer(s.dir, { port: 0 });
  try {
    for (const id of s.ids) {
      const r = await raw(v.url, `/original/${id}`);
      assert.equal(r.status, 200, id);
      assert.equal(r.type, 'image/png');
    }
    assert.equal((await raw(v.url, `/files/data/${s.ids[0]}`)).status, 200);
    const r = await raw(v.url, '/api/boxes', {
      method: 'POST',
      type: 'application/json',
      body: JSON.stringify({ id: s.ids[2], boxes: [{ x: 2, y: 3, w: 8, h: 9, category: 'laterality' }] }),
    });
    assert.equal(r.status, 200, r.body.toString());
    assert.deepEqual(
      (await readBoxes(v.boxesPath)).filter((b) => b.file === s.ids[2]).map((b) => [b.x, b.y, b.w, b.h]),
      [[2, 3, 8, 9]],
    );
  } finally {
    await v.close();
    await rm(s.dir, { recursive: true, force: true });
    await rm(s.dataDir, { recursive: true, force: true });
  }
});

test('viewer box store: an --out file inside the data folder (also through a symlink) is refused', async () => {
  const s = await makeFakeStudy({ images: 4, overlays: 0, dataOutside: true });
  const link = join(s.dir, 'to-data');
  await symlink(s.dataDir, link);
  try {
    await assert.rejects(
      startViewer(s.dir, { port: 0, out: join(s.dataDir, 'edited.coco.json') }),
      /inside the data folder/,
    );
    await assert.rejects(
      startViewer(s.dir, { port: 0, out: join(link, 'edited.coco.json') }),
      /inside the data folder/,
    );
    assert.equal(existsSync(join(s.dataDir, 'edited.coco.json')), false);
  } finally {
    await rm(s.dir, { recursive: true, force: true });
    await rm(s.dataDir, { recursive: true, force: true });
  }
});

test('viewer with no study: every image of a data folder is listed for boxing, saved to CSV the --eval reader takes', {
  skip: SKIP_BROWSER,
}, async () => {
  const root = await mkdtemp(join(tmpdir(), 'confound-box-'));
  const data = join(root, 'films');
  const ids = ['a/one.png', 'a/two.png', 'b/three.png'];
  for (const [k, id] of ids.entries()) {
    await mkdir(join(data, id, '..'), { recursive: true });
    const px = new Float32Array(40 * 30).map((_, i) => ((i + k) % 7) / 7);
    await writeFile(join(data, id), await encodeGrayPng({ width: 40, height: 30, data: px, bits: 8 }));
  }
  const out = join(root, 'boxes.csv');
  await assert.rejects(startViewer(undefined, { data }), /without a study folder, give --data .* and --out/);
  await assert.rejects(startViewer(undefined, { data, out: join(data, 'boxes.csv') }), /data folder/);
  const v = await startViewer(undefined, { port: 0, data, out });
  const browser = await launch();
  try {
    const st = JSON.parse((await raw(v.url, '/api/study')).body.toString());
    assert.equal(st.study, false);
    assert.deepEqual(st.arms, []);
    assert.deepEqual(st.images.map((i: { id: string }) => i.id).sort(), [...ids].sort());
    assert.equal((await raw(v.url, '/files/study/boxes.csv')).status, 404);
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(v.url);
    await page.waitForSelector('#canvas[data-ready]');
    // Sorted by image id, and no link to a report that does not exist.
    assert.equal(await page.locator('#title').textContent(), 'a/one.png');
    assert.equal(await page.locator('#reportlink').isHidden(), true);
    await page.locator('#zoom').selectOption('8');
    const c = (await page.locator('#canvas').boundingBox())!;
    await page.mouse.move(c.x + 5 * 8 + 2, c.y + 6 * 8 + 2);
    await page.mouse.down();
    await page.mouse.move(c.x + 17 * 8 + 2, c.y + 14 * 8 + 2, { steps: 4 });
    await page.mouse.up();
    await page.locator('#boxtable tbody tr.textrow').last().locator('input.text').fill('R');
    await page.click('#save');
    await page.waitForSelector('#status[data-saved]');
    const truth = await readTruth(out);
    assert.deepEqual(
      truth.boxes.map(({ file, x, y, w, h, category, text }) => ({ file, x, y, w, h, category, text })),
      [{ file: 'a/one.png', x: 5, y: 6, w: 12, h: 8, category: 'laterality', text: 'R' }],
    );
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await v.close();
    await rm(root, { recursive: true, force: true });
  }
});
