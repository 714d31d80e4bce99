import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import sharp from 'sharp';
import { parseCsv, parseCsvObjects } from '../../src/util/csv.js';
import { generateDataset } from '../../src/synth/index.js';
import { loadMura } from '../../src/data/index.js';

const small = { studies: 10, size: 48 };

async function hashTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(dir: string): Promise<void> {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else
        out.set(
          relative(root, p),
          createHash('sha256')
            .update(await readFile(p))
            .digest('hex'),
        );
    }
  }
  await walk(root);
  return out;
}

const tmp = await mkdtemp(join(tmpdir(), 'confound-synth-'));
test.after(() => rm(tmp, { recursive: true, force: true }));

test('same seed gives a byte-identical dataset; another seed differs', async () => {
  await generateDataset(join(tmp, 'a', 'ds'), { ...small, seed: 5 });
  await generateDataset(join(tmp, 'b', 'ds'), { ...small, seed: 5 });
  await generateDataset(join(tmp, 'c', 'ds'), { ...small, seed: 6 });
  const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => hashTree(join(tmp, d, 'ds'))));
  assert.ok(a.size > 20);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(
    [...a.keys()].every((k) => !k.includes('.tmp')),
    'temp files left behind',
  );
});

test('MURA CSVs: paths start with the dataset folder name, exist, and labels match the study folder', async () => {
  const root = join(tmp, 'mura', 'phantom');
  const summary = await generateDataset(root, { ...small, studies: 20, seed: 2 });
  assert.equal(summary.prefix, 'phantom');
  const truth = parseCsvObjects(await readFile(join(root, 'truth.csv'), 'utf8'));
  assert.equal(truth.length, summary.images);
  let images = 0;
  for (const split of ['train', 'valid', 'test']) {
    for (const [p] of parseCsv(await readFile(join(root, `${split}_image_paths.csv`), 'utf8'))) {
      assert.match(
        p,
        new RegExp(`^phantom/${split}/XR_[A-Z]+/patient\\d{5}/study\\d+_(positive|negative)/image\\d+\\.png$`),
      );
      await stat(join(dirname(root), p));
      images++;
    }
    for (const [study, label] of parseCsv(await readFile(join(root, `${split}_labeled_studies.csv`), 'utf8'))) {
      assert.ok(study.endsWith('/'));
      assert.equal(label, study.includes('_positive/') ? '1' : '0');
      const rows = truth.filter((r) => `phantom/${r.study}` === study);
      assert.ok(rows.length >= 1 && rows.length <= 4);
      assert.ok(rows.every((r) => r.abnormal === label && r.split === split));
    }
  }
  assert.equal(images, summary.images);
  // The project's own MURA loader reads it with no issues and the same outcomes.
  const ds = await loadMura(root);
  assert.deepEqual(ds.issues, []);
  assert.equal(ds.records.length, summary.images);
  const abnormal = new Map(truth.map((r) => [r.path, Number(r.abnormal)]));
  for (const r of ds.records) assert.equal(r.label, abnormal.get(r.id), r.id);
  const meta = await sharp(join(root, truth[0].path)).metadata();
  assert.equal(meta.width, 48);
  assert.equal(meta.channels, 1);
});

test('COCO boxes lie inside their images; every image has one laterality and one technologist label', async () => {
  const root = join(tmp, 'coco', 'ds');
  await generateDataset(root, { ...small, seed: 3, bits: 16 });
  const coco = JSON.parse(await readFile(join(root, 'labels.coco.json'), 'utf8'));
  assert.deepEqual(
    coco.categories.map((c: { name: string }) => c.name),
    ['laterality', 'technologist'],
  );
  for (const im of coco.images) {
    await stat(join(root, im.file_name));
    const anns = coco.annotations.filter((a: { image_id: number }) => a.image_id === im.id);
    assert.deepEqual(anns.map((a: { category_id: number }) => a.category_id).sort(), [1, 2]);
    for (const a of anns) {
      const [x, y, w, h] = a.bbox;
      assert.ok(x >= 0 && y >= 0 && x + w <= im.width && y + h <= im.height && a.area === w * h && a.iscrowd === 0);
      assert.match(a.text, a.category_id === 1 ? /^[LR]$/ : /^[A-Z]{2,3}$/);
    }
  }
  const png = await sharp(join(root, coco.images[0].file_name)).metadata();
  assert.equal(png.depth, 'ushort');
});

test('refuses to write into a non-empty folder that is not a previous synthetic dataset', async () => {
  const dir = join(tmp, 'busy');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'notes.txt'), 'keep me');
  await assert.rejects(generateDataset(dir, small), /busy: folder is not empty/);
  assert.equal(await readFile(join(dir, 'notes.txt'), 'utf8'), 'keep me');
});
