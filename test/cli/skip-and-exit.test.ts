import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset } from '../../src/synth/index.js';
import { loadDataset } from '../../src/data/load.js';
import { studySplits } from '../../src/train/index.js';
import { EXIT, skipSummary } from '../../src/cli/outcome.js';
import { tinyTrainArgs } from '../fixtures/train-args.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    }),
  );
}

let dir: string, data: string, inTrain: string, inTest: string, testIds: string[];

/** Keep a PNG's header (it loads and gives a size) but cut its pixel data short. */
async function truncate(path: string): Promise<void> {
  const bytes = await readFile(path);
  await writeFile(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-skip-'));
  data = join(dir, 'data');
  await generateDataset(data, { studies: 16, size: 64, seed: 5 });
  const splits = studySplits((await loadDataset(data)).records, 0);
  inTrain = splits.train[0].path;
  inTest = splits.test[0].path;
  testIds = splits.test.map((r) => r.id);
  await truncate(inTrain);
  await truncate(inTest);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('one truncated PNG does not stop train, predict or cam: it is named, counted, and the exit code is 2 (defect 4)', async () => {
  const run = join(dir, 'run');
  const t = await cli([...tinyTrainArgs({ data, size: 32, epochs: 1 }), '--out', run]);
  assert.equal(t.code, EXIT.skipped, t.stderr);
  assert.ok(t.stderr.includes(`skipped ${inTrain}: ${inTrain}: cannot decode image`), t.stderr);
  assert.ok(!t.stderr.includes(inTest), 'train read a test image');
  assert.match(t.stderr, /\d+ images read, 1 skipped \(see above\)/);

  const scores = join(dir, 'scores.csv');
  const p = await cli(['predict', '--run', run, '--data', data, '--out', scores]);
  assert.equal(p.code, EXIT.skipped, p.stderr);
  assert.ok(p.stderr.includes(`skipped ${inTest}:`), p.stderr);
  assert.ok(p.stderr.includes(skipSummary(testIds.length - 1, 1)), p.stderr);
  const rows = (await readFile(scores, 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((r) => r.split(',')[0]);
  assert.deepEqual(
    rows,
    testIds.filter((id) => !inTest.endsWith(id)),
  );

  const cam = join(dir, 'cam');
  const c = await cli([
    'cam',
    '--run',
    run,
    '--data',
    data,
    '--boxes',
    join(data, 'labels.coco.json'),
    '--out',
    cam,
    '--max-files',
    '1',
  ]);
  assert.equal(c.code, EXIT.skipped, c.stderr);
  assert.ok(c.stderr.includes(`skipped ${inTest}:`), c.stderr);
  const per = JSON.parse(await readFile(join(cam, 'attention.json'), 'utf8')) as { id: string }[];
  assert.deepEqual(
    per.map((x) => x.id),
    testIds.filter((id) => !inTest.endsWith(id)),
  );
});

test('mask exits 2 when files failed, naming them, and 0 when nothing failed', async () => {
  const boxes = join(data, 'labels.coco.json');
  const m = await cli(['mask', '--data', data, '--boxes', boxes, '--mode', 'cover', '--out', join(dir, 'masked')]);
  assert.equal(m.code, EXIT.skipped, m.stderr);
  for (const f of [inTrain, inTest]) assert.ok(m.stderr.includes(`failed ${f}:`), m.stderr);
  assert.match(m.stderr, /\d+ images read, 2 skipped \(see above\)/);
  const good = join(dir, 'good');
  await generateDataset(good, { studies: 3, size: 64, seed: 6 });
  const clean = await cli([
    'mask',
    '--data',
    good,
    '--boxes',
    join(good, 'labels.coco.json'),
    '--mode',
    'cover',
    '--out',
    join(dir, 'masked2'),
  ]);
  assert.equal(clean.code, EXIT.ok, clean.stderr);
});

test('a fatal error exits 1 with one message, no stack trace', async () => {
  const r = await cli(['detect', '--data', join(dir, 'nowhere'), '--out', join(dir, 'b.json')]);
  assert.equal(r.code, EXIT.fatal);
  assert.equal(r.stderr, `confound: ${join(dir, 'nowhere')}: no such file or folder\n`);
});
