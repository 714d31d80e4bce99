import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderReport, rocCurve, areaUnder, simplifyRoc, conclusion, judge, loadStudy, pickPairs, type ResultsFile } from '../../src/report/index.js';
import { withCi, pval } from '../../src/report/format.js';
import { auc } from '../../src/stats/auc.js';
import { Rng } from '../../src/util/rng.js';
import { makeFakeStudy } from '../fixtures/study/make-study.js';
import { SKIP_BROWSER, launch } from './browser.js';

test('ROC: starts at (0,0), ends at (1,1), is monotone, and its area equals the Mann-Whitney AUC (with ties)', () => {
  const rng = new Rng(7);
  const labels = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const scores = labels.map((y) => Math.round((y * 0.8 + rng.normal(0, 0.6)) * 10) / 10);
  const pts = rocCurve(labels, scores);
  assert.deepEqual([pts[0].fpr, pts[0].tpr], [0, 0]);
  assert.deepEqual([pts.at(-1)!.fpr, pts.at(-1)!.tpr], [1, 1]);
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i].fpr >= pts[i - 1].fpr && pts[i].tpr >= pts[i - 1].tpr);
  assert.ok(Math.abs(areaUnder(pts) - auc(labels, scores)) < 1e-12);
  const simple = simplifyRoc(pts);
  assert.ok(simple.length <= pts.length);
  assert.ok(Math.abs(areaUnder(simple) - areaUnder(pts)) < 1e-12);
  assert.throws(() => rocCurve([1, 1], [0.2, 0.3]), /both positive and negative/);
});

test('formatting: CIs as "0.84 (0.81–0.87)", small p-values as "< 0.001", missing as a dash', () => {
  assert.equal(withCi(0.8412, [0.811, 0.8701]), '0.84 (0.81–0.87)');
  assert.equal(withCi(0.5, [0.4, 0.6], 1, true), '50.0% (40.0%–60.0%)');
  assert.equal(pval(0.0002), '< 0.001');
  assert.equal(pval(0.0456), '0.046');
  assert.equal(withCi(undefined, undefined), '–');
});

const arm = (name: string, extra: object) => ({ name, ...extra });

test('conclusion follows the numbers: reliance, no reliance, and missing arms', () => {
  const positive: ResultsFile = {
    arms: [
      arm('original', { auc: 0.91, label_attention: 0.42, label_attention_ci: [0.38, 0.46], chance: 0.03, pointing_game: 0.6 }),
      arm('covered', { auc: 0.84, p_vs_original: 0.004, label_attention: 0.05 }),
      arm('labels-only', { auc: 0.77, ci: [0.72, 0.81] }),
    ],
    counterfactual: { covered: { mean_abs_delta: 0.21, flip_rate: 0.18 }, random_cover: { mean_abs_delta: 0.02 }, auc_original: 0.91, auc_covered: 0.8, p: 0.001 },
  };
  const text = conclusion(positive).join(' ');
  assert.match(text, /relies on the burned-in labels/);
  assert.match(text, /42\.0% of the original model's saliency mass/);
  assert.match(text, /5\.0% for the covered model \(chance 3\.0%/);
  assert.match(text, /\|Δp\| = 0\.210 \(random-cover control 0\.020\) and flips 18\.0%/);
  assert.match(text, /AUC 0\.840, lower than the original model's 0\.910 \(p = 0\.004/);
  assert.match(text, /AUC 0\.770 .*labels predict the outcome/);
  assert.deepEqual(judge(positive), { attention: true, counterfactual: true, aucChange: true, labelsPredict: true });

  const negative: ResultsFile = {
    arms: [
      arm('original', { auc: 0.88, label_attention: 0.03, label_attention_ci: [0.02, 0.04], chance: 0.035 }),
      arm('covered', { auc: 0.879, p_vs_original: 0.8 }),
      arm('labels-only', { auc: 0.52, ci: [0.46, 0.58] }),
    ],
    counterfactual: { mean_abs_delta: 0.01, flip_rate: 0.0, random_cover: { mean_abs_delta: 0.009 } },
  };
  const neg = conclusion(negative).join(' ');
  assert.match(neg, /no sign that the original model relies/);
  assert.match(neg, /about the same as the original model's 0\.880 \(p = 0\.800, paired DeLong: not a significant difference\)/);
  assert.match(neg, /no better than chance/);
  assert.doesNotMatch(neg, /labels predict the outcome/);

  const partial = conclusion({ arms: [arm('original', { auc: 0.9 })] }).join(' ');
  assert.match(partial, /covered arm was not run/);
  assert.match(partial, /labels-only arm was not run/);
  assert.match(partial, /counterfactual cover test was not run/);
  assert.match(conclusion({ arms: [arm('original', {}), arm('covered', {})] }).join(' '), /covered arm has no AUC in results\.json/);
  assert.match(conclusion({ arms: [] })[0], /original arm has no results/);
});

test('report: one self-contained file with every section; gallery sorted by attention shift; no external references', async () => {
  const s = await makeFakeStudy({ images: 24, overlays: 8 });
  // An all-zero map has no attention (written as null): that pair goes last.
  const attPath = join(s.dir, 'cam', 'covered', 'attention.json');
  const att = JSON.parse(await readFile(attPath, 'utf8'));
  att[0].label_attention = null;
  await writeFile(attPath, JSON.stringify(att));
  const path = await renderReport(s.dir);
  assert.equal(path, join(s.dir, 'report.html'));
  const html = await readFile(path, 'utf8');
  for (const id of ['conclusion', 'results', 'roc', 'attention', 'counterfactual', 'gallery', 'categories', 'detector', 'dataset', 'settings']) {
    assert.ok(html.includes(`<section id="${id}">`), `section ${id}`);
  }
  // Nothing is loaded from elsewhere: every src is inline, no stylesheet or script links.
  assert.doesNotMatch(html, /\s(src|href)="(https?:|\/\/)/);
  assert.doesNotMatch(html, /<link\b|<script\b/);
  const srcs = [...html.matchAll(/<img src="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(srcs.length, 16);
  assert.ok(srcs.every((u) => u.startsWith('data:image/png;base64,')));
  const data = await loadStudy(s.dir);
  const pairs = pickPairs(data);
  assert.equal(pairs.length, 8);
  assert.equal(pairs[7].id, s.ids[0]);
  assert.ok(Number.isNaN(pairs[7].shift));
  for (let i = 1; i < 7; i++) assert.ok(Math.abs(pairs[i - 1].shift) >= Math.abs(pairs[i].shift));
  // Same input, same bytes.
  await renderReport(s.dir);
  assert.equal(await readFile(path, 'utf8'), html);
  await rm(s.dir, { recursive: true, force: true });
});

test('report: missing files are listed, not fatal; the negative case is rendered as such', async () => {
  const s = await makeFakeStudy({ images: 12, overlays: 2, reliant: false });
  await rm(join(s.dir, 'scores', 'labels-only.csv'));
  await rm(join(s.dir, 'cam', 'covered'), { recursive: true });
  const html = await readFile(await renderReport(s.dir), 'utf8');
  assert.match(html, /id="warnings"/);
  assert.match(html, /labels-only\.csv: missing/);
  assert.match(html, /no sign that the original model relies/);
  assert.match(html, /No test image has a Grad-CAM overlay from both/);
  await rm(join(s.dir, 'results.json'));
  await assert.rejects(renderReport(s.dir), /results\.json: not found/);
  await rm(s.dir, { recursive: true, force: true });
});

test('report: a default-sized study (400 test images, 24 overlays per arm at 224 px) stays well under 20 MB', async () => {
  const s = await makeFakeStudy({ images: 400, overlays: 24, overlaySize: 224 });
  const path = await renderReport(s.dir);
  const { size } = await stat(path);
  assert.ok(size < 20e6, `report is ${size} bytes`);
  const html = await readFile(path, 'utf8');
  assert.equal([...html.matchAll(/<figure class="pair">/g)].length, 12);
  await rm(s.dir, { recursive: true, force: true });
});

test('report in chromium: no console errors; the results table and the ROC plot are shown', { skip: SKIP_BROWSER }, async () => {
  const s = await makeFakeStudy({ images: 20, overlays: 4 });
  const path = await renderReport(s.dir);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
    await page.goto(pathToFileURL(path).href);
    assert.equal(await page.locator('#results-table tbody tr').count(), 4);
    assert.ok(await page.locator('#results-table').isVisible());
    const roc = page.locator('svg.roc');
    assert.ok(await roc.isVisible());
    assert.deepEqual(await roc.locator('path[data-arm]').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-arm'))), ['original', 'covered', 'labels-only', 'random-cover']);
    const box = await roc.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 200);
    // Every gallery image decoded.
    assert.ok(await page.locator('.pair img').evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0)));
    // The page fits the window: no horizontal scrolling of the whole page.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
  } finally {
    await browser.close();
    await rm(s.dir, { recursive: true, force: true });
  }
});
