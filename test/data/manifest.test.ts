import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { loadDataset } from '../../src/data/load.js';
import { tempDir, writePng, writeText } from './helpers/fixtures.js';

test('a box file kept beside the images is not taken for a manifest (defect 10)', async () => {
  const dir = await tempDir();
  for (const f of ['a.png', 'b.png', 'c.png']) await writePng(join(dir, f));
  await writeText(
    join(dir, 'boxes.csv'),
    'path,x,y,w,h,category\na.png,1,1,2,2,laterality\na.png,4,1,2,2,technologist\nb.png,0,0,3,3,other\n',
  );
  const ds = await loadDataset(dir);
  assert.equal(ds.format, 'folder');
  assert.deepEqual(
    ds.records.map((r) => r.id),
    ['a.png', 'b.png', 'c.png'],
  );
  // named directly as the data, it is refused by name
  await assert.rejects(
    loadDataset(join(dir, 'boxes.csv')),
    (e: Error) => e.message.includes('boxes.csv') && /box file/.test(e.message),
  );
  // a CSV with only a path column is not a manifest unless it is called manifest.csv
  await writeText(join(dir, 'notes.csv'), 'path,comment\na.png,fine\n');
  assert.equal((await loadDataset(dir)).format, 'folder');
  await writeText(join(dir, 'list.csv'), 'path,label\na.png,1\nb.png,0\n');
  const listed = await loadDataset(dir);
  assert.equal(listed.format, 'manifest');
  assert.deepEqual(
    listed.records.map((r) => r.id),
    ['a.png', 'b.png'],
  );
});

test('a manifest that lists a path twice is an error naming the path and lines (defect 10)', async () => {
  const dir = await tempDir();
  for (const f of ['a.png', 'b.png']) await writePng(join(dir, 'imgs', f));
  await writeText(
    join(dir, 'manifest.csv'),
    'path,label,patient\nimgs/a.png,1,P1\nimgs/b.png,0,P2\n./imgs/a.png,0,P3\n',
  );
  await assert.rejects(
    loadDataset(dir),
    (e: Error) => e.message.includes('manifest.csv') && e.message.includes('imgs/a.png (lines 2, 4)'),
  );
});

test('files a manifest names outside its folder are skipped by name unless allowOutside (defect 10)', async () => {
  const parent = await tempDir();
  const dir = join(parent, 'set');
  await writePng(join(dir, 'in.png'));
  await writePng(join(parent, 'outside.png'));
  await writePng(join(parent, 'outside2.png'));
  await mkdir(join(parent, 'elsewhere'));
  await writePng(join(parent, 'elsewhere', 'hidden.png'));
  await symlink(join(parent, 'elsewhere'), join(dir, 'link'));
  const abs = join(parent, 'outside2.png');
  await writeText(join(dir, 'manifest.csv'), `path,label\nin.png,1\n../outside.png,0\n${abs},1\nlink/hidden.png,0\n`);
  const ds = await loadDataset(dir);
  assert.deepEqual(
    ds.records.map((r) => r.id),
    ['in.png'],
  );
  assert.equal(ds.issues.length, 3);
  for (const [line, name] of [
    [3, '../outside.png'],
    [4, abs],
    [5, 'link/hidden.png'],
  ] as const) {
    assert.ok(
      ds.issues.some(
        (i) => i.message.includes(`line ${line}: "${name}" resolves outside`) && /--allow-outside/.test(i.message),
      ),
      name,
    );
  }
  const all = await loadDataset(dir, { allowOutside: true });
  assert.deepEqual(all.records.map((r) => r.id).sort(), [
    '../outside.png',
    '../outside2.png',
    'in.png',
    'link/hidden.png',
  ]);
  assert.equal(all.issues.length, 0);
  await writeFile(join(dir, 'manifest.csv'), 'path,label\nin.png,1\n');
  assert.equal((await loadDataset(dir)).issues.length, 0);
});
