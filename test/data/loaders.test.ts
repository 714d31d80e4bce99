import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadDataset } from '../../src/data/load.js';
import { makeMura, tempDir, writePng, writeText } from './helpers/fixtures.js';

test('MURA via CSVs: both path styles, patient/study/label/split parsed', async () => {
  const parent = await tempDir();
  const root = join(parent, 'MURA-v1.1');
  const rel = await makeMura(root, true);
  const ds = await loadDataset(root);
  assert.equal(ds.format, 'mura');
  assert.deepEqual(ds.issues, []);
  assert.deepEqual(ds.records.map((r) => r.id).sort(), [...rel].sort());
  const r = ds.records.find((x) => x.id === 'train/XR_HAND/patient00001/study1_positive/image2.png')!;
  assert.equal(r.patient, 'patient00001');
  assert.equal(r.study, 'XR_HAND/patient00001/study1_positive');
  assert.equal(r.label, 1);
  assert.equal(r.split, 'train');
  assert.equal(r.part, 'XR_HAND');
  assert.equal(ds.records.find((x) => x.split === 'valid')!.label, 0);
  // Pointing at the parent folder finds the dataset too.
  assert.equal((await loadDataset(parent)).records.length, rel.length);
});

test('MURA by walking folders when CSVs are absent', async () => {
  const root = await tempDir();
  const rel = await makeMura(root, false);
  const ds = await loadDataset(root);
  assert.equal(ds.format, 'mura');
  assert.equal(ds.records.length, rel.length);
});

test('corrupt PNG and missing listed file become issues; the rest loads', async () => {
  const parent = await tempDir();
  const root = join(parent, 'MURA-v1.1');
  const rel = await makeMura(root, true);
  const corrupt = join(root, rel[0]);
  await writeFile(corrupt, Buffer.from('garbage, not a PNG'));
  const missing = join(root, rel[1]);
  await rm(missing);
  const ds = await loadDataset(root);
  assert.equal(ds.records.length, rel.length - 2);
  assert.equal(ds.issues.length, 2);
  const byFile = new Map(ds.issues.map((i) => [i.file, i.message]));
  assert.match(byFile.get(corrupt)!, /not a readable image/);
  assert.ok(byFile.get(corrupt)!.includes(corrupt));
  assert.match(byFile.get(missing)!, /file not found.*train_image_paths\.csv/);
});

test('an empty folder is an error naming it', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'sub'));
  await assert.rejects(loadDataset(dir), (e: Error) => e.message === `no images found in ${dir}`);
});

test('generic manifest: paths relative to the CSV, bad rows reported', async () => {
  const dir = await tempDir();
  await writePng(join(dir, 'imgs/a.png'));
  await writePng(join(dir, 'imgs/b.png'));
  await writeText(
    join(dir, 'manifest.csv'),
    'path,label,patient,split,part\nimgs/a.png,1,P1,train,XR_HAND\nimgs/b.png,normal,P2,,\nimgs/c.png,0,P3,,\nimgs/d.png,maybe,P1,,\n',
  );
  const ds = await loadDataset(dir);
  assert.equal(ds.format, 'manifest');
  assert.deepEqual(
    ds.records.map((r) => [r.id, r.label, r.patient, r.split ?? null]),
    [
      ['imgs/a.png', 1, 'P1', 'train'],
      ['imgs/b.png', 0, 'P2', null],
    ],
  );
  assert.equal(ds.issues.length, 2);
  assert.ok(ds.issues.some((i) => /line 5.*maybe/.test(i.message)));
  assert.ok(ds.issues.some((i) => i.file.endsWith('imgs/c.png') && /not found/.test(i.message)));
});

test('a box CSV (path,x,y,w,h: one row per label) beside the images is not taken for a manifest', async () => {
  const dir = await tempDir();
  await writePng(join(dir, 'f/a.png'));
  await writePng(join(dir, 'f/b.png'));
  await writeText(
    join(dir, 'boxes.csv'),
    'path,x,y,w,h,category,text\nf/a.png,1,1,2,2,laterality,L\nf/a.png,3,3,2,2,other,AP\n',
  );
  const ds = await loadDataset(dir);
  assert.equal(ds.format, 'folder');
  assert.deepEqual(ds.records.map((r) => r.id).sort(), ['f/a.png', 'f/b.png']);
});

test('GRAZPEDWRI-DX: images + dataset.csv + labels folder', async () => {
  const dir = await tempDir();
  await writePng(join(dir, 'images/0001_1297860395_01_WRI-L1_M014.png'));
  await writePng(join(dir, 'images/0001_1297860395_02_WRI-L2_M014.png'));
  await writePng(join(dir, 'images/0002_1297860500_01_WRI-R1_F010.png'));
  await writeText(join(dir, 'labels/0001_1297860395_01_WRI-L1_M014.txt'), '8 0.1 0.1 0.05 0.05\n');
  await writeText(
    join(dir, 'dataset.csv'),
    'filestem,patient_id,timehash,fracture_visible,laterality\n' +
      '0001_1297860395_01_WRI-L1_M014,1,1297860395,1,L\n0001_1297860395_02_WRI-L2_M014,1,1297860395,1,L\n0002_1297860500_01_WRI-R1_F010,2,1297860500,0,R\n',
  );
  const ds = await loadDataset(dir);
  assert.equal(ds.format, 'grazpedwri');
  assert.equal(ds.records.length, 3);
  const [a, b, c] = ds.records;
  assert.equal(a.study, b.study);
  assert.notEqual(a.study, c.study);
  assert.deepEqual([a.label, c.label, c.patient], [1, 0, '2']);
  assert.equal(a.id, 'images/0001_1297860395_01_WRI-L1_M014.png');
});

test('plain folder: recursive, no labels', async () => {
  const dir = await tempDir();
  await writePng(join(dir, 'x/1.png'));
  await writePng(join(dir, 'x/y/2.png'));
  await writeText(join(dir, 'notes.txt'), 'hi');
  const ds = await loadDataset(dir);
  assert.equal(ds.format, 'folder');
  assert.deepEqual(
    ds.records.map((r) => r.id),
    ['x/1.png', 'x/y/2.png'],
  );
  assert.equal(ds.records[0].label, undefined);
});
