import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  renderReport,
  rocCurve,
  areaUnder,
  simplifyRoc,
  conclusion,
  loadStudy,
  pickPairs,
} from '../../src/report/index.js';
import { readResults, studyVerdict, type ArmResult } from '../../src/study/index.js';
import { tinyStudy } from '../fixtures/study/tiny-study.js';
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

test('a real tiny study: the report shows chance and attention/chance for every arm, and the conclusion uses label attention', async () => {
  const dir = await tinyStudy(await mkdtemp(join(tmpdir(), 'confound-report-')));
  try {
    const r = await readResults(dir);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    const table = html.slice(
      html.indexOf('id="attention-table"'),
      html.indexOf('</table>', html.indexOf('id="attention-table"')),
    );
    const rows = [...table.matchAll(/<tr>(.*?)<\/tr>/g)]
      .slice(1)
      .map((m) => [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]));
    assert.equal(rows.length, r.arms.length);
    rows.forEach((cells, i) => {
      const a = r.arms[i];
      assert.equal(cells[3], `${(100 * a.attention_chance!).toFixed(1)}%`, `${a.name}: chance`);
      assert.equal(
        cells[4],
        `${(a.label_attention! / a.attention_chance!).toFixed(1)}×`,
        `${a.name}: attention / chance`,
      );
    });
    const text = conclusion(r).join(' ');
    const o = r.arms[0];
    assert.match(text, new RegExp(`${(o.label_attention! / o.attention_chance!).toFixed(1)}× chance`));
    assert.ok(r.verdict.evidence.attention !== null, 'the stored verdict judged label attention');
    assert.match(
      text,
      r.verdict.evidence.attention ? /That is reliance by this measure/ : /That is not reliance by this measure/,
    );
    assert.ok(html.includes(conclusion(r)[0]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('conclusion reads the stored verdict; the study decides it from attention and the cover test', async () => {
  const dir = await tinyStudy(await mkdtemp(join(tmpdir(), 'confound-report-')));
  try {
    const real = await readResults(dir);
    const withArms = (patch: (a: ArmResult) => Partial<ArmResult>) => real.arms.map((a) => ({ ...a, ...patch(a) }));
    const attends = withArms((a) =>
      a.name === 'original' ? { label_attention: 0.42, label_attention_ci: [0.38, 0.46], attention_chance: 0.03 } : {},
    );
    const ignores = withArms((a) =>
      a.name === 'original' ? { label_attention: 0.03, label_attention_ci: [0.02, 0.04], attention_chance: 0.035 } : {},
    );
    const cases: [ArmResult[], 'none' | 'weak' | 'strong' | null, string, RegExp][] = [
      [attends, 'strong', 'yes', /relies on the burned-in labels/],
      [ignores, 'none', 'no', /no sign that the original model relies/],
      [attends, 'none', 'mixed', /evidence on label reliance is mixed/],
      [ignores, null, 'no', /no sign/],
    ];
    for (const [arms, cf, want, text] of cases) {
      const verdict = studyVerdict(arms, cf);
      assert.equal(verdict.label_reliance, want);
      const r = { ...real, arms, verdict };
      assert.match(conclusion(r)[0], text);
      assert.match(
        conclusion(r)[1],
        arms === attends
          ? /42\.0% of the original model's saliency mass.*14\.0× chance.*That is reliance/
          : /That is not reliance/,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
  for (const id of [
    'conclusion',
    'results',
    'roc',
    'attention',
    'counterfactual',
    'gallery',
    'categories',
    'detector',
    'dataset',
    'settings',
  ]) {
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

test('report in chromium: no console errors; the results table and the ROC plot are shown', {
  skip: SKIP_BROWSER,
}, async () => {
  const s = await makeFakeStudy({ images: 20, overlays: 4 });
  const path = await renderReport(s.dir);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url());
    });
    await page.goto(pathToFileURL(path).href);
    assert.equal(await page.locator('#results-table tbody tr').count(), 4);
    assert.ok(await page.locator('#results-table').isVisible());
    const roc = page.locator('svg.roc');
    assert.ok(await roc.isVisible());
    assert.deepEqual(
      await roc.locator('path[data-arm]').evaluateAll((ps) => ps.map((p) => p.getAttribute('data-arm'))),
      ['original', 'covered', 'labels-only', 'random-cover'],
    );
    const box = await roc.boundingBox();
    assert.ok(box && box.width > 200 && box.height > 200);
    // Every gallery image decoded.
    assert.ok(
      await page
        .locator('.pair img')
        .evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => (i as HTMLImageElement).naturalWidth > 0)),
    );
    // The page fits the window: no horizontal scrolling of the whole page.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
  } finally {
    await browser.close();
    await rm(s.dir, { recursive: true, force: true });
  }
});
