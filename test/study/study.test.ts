import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy } from '../../src/study/study.js';

let dir: string;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'confound-study-')); });
after(async () => { await rm(dir, { recursive: true, force: true }); });

test('a tiny study on the phantom writes results.json with every arm and the report, and a rerun skips finished steps', async () => {
  const out = join(dir, 's');
  const opts = {
    out, seed: 3, threads: 2, overlays: 4,
    phantom: { studies: 60, size: 128 },
    // The phantom's true boxes: the detector is tested on its own.
    boxes: 'truth',
    train: { arch: 'densenet-tiny' as const, size: 64, epochs: 1, batch: 16 },
  };
  const r = await runStudy(opts);
  assert.deepEqual(r.arms.map((a) => a.name), ['original', 'covered', 'labels-only', 'random-cover']);
  for (const a of r.arms) {
    assert.ok(a.auc >= 0 && a.auc <= 1, `${a.name} auc ${a.auc}`);
    assert.ok(a.ci[0] <= a.auc && a.auc <= a.ci[1]);
    assert.equal(a.p_vs_original === null, a.name === 'original');
  }
  assert.ok(r.counterfactual && r.counterfactual.n > 0);
  assert.ok(r.counterfactual.random_cover.mean_abs_delta >= 0);
  for (const k of ['config', 'versions', 'timings', 'dataset']) assert.ok(k in r, k);
  assert.ok((await stat(join(out, 'report.html'))).size > 1000);
  const saved = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  assert.equal(saved.arms.length, 4);

  const steps = JSON.parse(await readFile(join(out, 'steps.json'), 'utf8'));
  const again = await runStudy(opts);
  assert.deepEqual(JSON.parse(await readFile(join(out, 'steps.json'), 'utf8')), steps, 'a rerun redid finished steps');
  assert.deepEqual(again.arms.map((a) => a.auc), r.arms.map((a) => a.auc));
});
