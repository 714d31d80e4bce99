import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '../../src/synth/index.js';
import { renderReport } from '../../src/report/index.js';
import { runStudy } from '../../src/study/index.js';
import { TINY_STUDY } from '../fixtures/study/tiny-study.js';
import { tempDir } from '../fixtures/temp-dirs.js';
import { parseCsvObjects } from '../../src/util/csv.js';

test('an image an arm cannot be made for leaves every arm, and results.json and the report say which', async () => {
  const root = await tempDir('confound-excluded-');
  const data = join(root, 'data');
  await generateDataset(data, { studies: 60, size: 128, seed: 3 });
  // A PNG whose header is whole and whose body is cut short: it loads (header check) but cannot be masked.
  const truth = parseCsvObjects(await readFile(join(data, 'truth.csv'), 'utf8'));
  const victim = truth.find((r) => r.path.startsWith('train/'))!.path;
  const bytes = await readFile(join(data, victim));
  await writeFile(join(data, victim), bytes.subarray(0, 120));
  const out = join(root, 'study');
  const r = await runStudy({
    out,
    data,
    boxes: join(data, 'labels.coco.json'),
    arms: ['original', 'covered'],
    seed: 3,
    threads: 2,
    overlays: 0,
    train: TINY_STUDY.train,
  });
  assert.equal(r.dataset.excluded_from_arms, 1);
  assert.deepEqual(r.dataset.excluded_ids, [victim]);
  const html = await readFile(await renderReport(out), 'utf8');
  assert.match(html, new RegExp(`Left out of every arm[^<]*</td><td>1: ${victim.replace(/[/.]/g, '\\$&')}`));
});
