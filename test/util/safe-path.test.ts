import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOutputFile, checkOutputFolder, makeDirs, outputPath, realPathOf } from '../../src/util/safe-path.js';
import { writeFileAtomic } from '../../src/util/atomic.js';

async function tree() {
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'confound-safe-')));
  const data = join(dir, 'data');
  await mkdir(join(data, 'sub'), { recursive: true });
  await writeFile(join(data, 'manifest.csv'), 'path,label\n');
  await symlink(data, join(dir, 'link-to-data'));
  await symlink(join(data, 'sub'), join(dir, 'link-to-sub'));
  return { dir, data };
}

test('realPathOf follows symlinks of the deepest existing ancestor of a path that does not exist yet', async () => {
  const { dir, data } = await tree();
  assert.equal(await realPathOf(join(dir, 'link-to-data', 'new', 'deeper')), join(data, 'new', 'deeper'));
  assert.equal(await realPathOf(join(dir, 'fresh')), join(dir, 'fresh'));
  await rm(dir, { recursive: true, force: true });
});

test('checkOutputFolder refuses the input, a folder inside it, and a symlink into it; a sibling is fine', async () => {
  const { dir, data } = await tree();
  const inputs = [{ what: 'dataset folder', path: data }];
  for (const out of [
    data,
    join(data, 'x'),
    join(dir, 'link-to-data'),
    join(dir, 'link-to-data', 'y'),
    join(dir, 'link-to-sub', 'z'),
  ]) {
    await assert.rejects(checkOutputFolder(out, inputs), /must not be the dataset folder or inside it/, out);
  }
  // A manifest CSV as the input: its folder holds the dataset.
  await assert.rejects(
    checkOutputFolder(join(data, 'out'), [{ what: 'dataset', path: join(data, 'manifest.csv') }]),
    /inside it/,
  );
  assert.equal(await checkOutputFolder(join(dir, 'out'), inputs), join(dir, 'out'));
  assert.equal(await checkOutputFolder(join(dir, 'data-2'), inputs), join(dir, 'data-2'));
  await assert.rejects(checkOutputFile(join(dir, 'link-to-data', 'boxes.json'), inputs), /inside the dataset folder/);
  await assert.rejects(
    checkOutputFile(join(data, 'manifest.csv'), [{ what: 'dataset', path: join(data, 'manifest.csv') }]),
    /which is the dataset/,
  );
  assert.equal(await checkOutputFile(join(dir, 'boxes.json'), inputs), join(dir, 'boxes.json'));
  await rm(dir, { recursive: true, force: true });
});

test('outputPath keeps every written file inside the output folder: "..", absolute paths and escaping symlinks are refused', async () => {
  const { dir, data } = await tree();
  const out = join(dir, 'out');
  await mkdir(out);
  await symlink(data, join(out, 'escape'));
  assert.equal(await outputPath(out, 'a/b.png'), join(out, 'a/b.png'));
  for (const bad of [
    '../data/v.png',
    'a/../../data/v.png',
    join(data, 'v.png'),
    '/etc/passwd',
    'escape/v.png',
    '',
    'C:/x.png',
    '..\\data\\v.png',
  ]) {
    await assert.rejects(outputPath(out, bad), /outside/, bad);
  }
  await rm(dir, { recursive: true, force: true });
});

test("makeDirs fails at once, naming the path, where Node's recursive mkdir spins for ever (/proc/x)", {
  skip: !existsSync('/proc/self') && 'no procfs',
}, async () => {
  const started = Date.now();
  await assert.rejects(
    makeDirs('/proc/confound-x/y'),
    /\/proc\/confound-x\/y: cannot create folder \/proc\/confound-x \(ENOENT\)/,
  );
  await assert.rejects(writeFileAtomic('/proc/confound-x/f.json', '{}'), /cannot create folder/);
  assert.ok(Date.now() - started < 5000);
  const dir = await mkdtemp(join(tmpdir(), 'confound-mk-'));
  await writeFile(join(dir, 'file'), 'x');
  await assert.rejects(makeDirs(join(dir, 'file', 'sub')), /exists and is not a folder/);
  await makeDirs(join(dir, 'a', 'b', 'c'));
  assert.ok(existsSync(join(dir, 'a', 'b', 'c')));
  await rm(dir, { recursive: true, force: true });
});
