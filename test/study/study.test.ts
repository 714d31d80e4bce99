import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy, readResults, StudyResultsSchema, StepSettingsChanged } from '../../src/study/index.js';
import { tinyStudy, TINY_STUDY } from '../fixtures/study/tiny-study.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-study-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a tiny study on the phantom writes a schema-valid results.json with every arm and the report', async () => {
  const out = await tinyStudy(join(dir, 's'));
  const r = await readResults(out);
  assert.ok(StudyResultsSchema.safeParse(JSON.parse(await readFile(join(out, 'results.json'), 'utf8'))).success);
  assert.deepEqual(
    r.arms.map((a) => a.name),
    ['original', 'covered', 'labels-only', 'random-cover'],
  );
  for (const a of r.arms) {
    assert.ok(a.auc !== null && a.auc >= 0 && a.auc <= 1, `${a.name} auc ${a.auc}`);
    assert.ok(a.ci[0]! <= a.auc && a.auc <= a.ci[1]!);
    assert.equal(a.p_vs_original === null, a.name === 'original');
    assert.ok(a.attention_chance! > 0 && a.attention_chance! < 0.5, `${a.name} chance ${a.attention_chance}`);
  }
  assert.ok(r.counterfactual && r.counterfactual.n > 0);
  assert.ok(r.counterfactual.random_cover.mean_abs_delta! >= 0);
  assert.ok(['none', 'weak', 'strong'].includes(r.counterfactual.verdict.reliance));
  assert.equal(r.verdict.counterfactual, r.counterfactual.verdict.reliance);
  assert.ok((await stat(join(out, 'report.html'))).size > 1000);
});

test('a rerun with the same settings skips every step; a changed setting stops and names it; --restart-changed redoes that step and the ones after it', async () => {
  const out = await tinyStudy(join(dir, 'rerun'));
  const before = await readResults(out);
  const steps = JSON.parse(await readFile(join(out, 'steps.json'), 'utf8'));
  const again = await runStudy({ ...TINY_STUDY, out });
  assert.deepEqual(JSON.parse(await readFile(join(out, 'steps.json'), 'utf8')), steps, 'a rerun redid finished steps');
  assert.deepEqual(
    again.arms.map((a) => a.auc),
    before.arms.map((a) => a.auc),
  );

  // One training setting changed: the first step it touches stops the run and names the setting.
  const changed = { ...TINY_STUDY, out, train: { ...TINY_STUDY.train, epochs: 2 } };
  await assert.rejects(runStudy(changed), (err: Error) => {
    assert.ok(err instanceof StepSettingsChanged);
    assert.equal(err.step, 'train:original');
    assert.match(err.message, /train\.epochs: 1 -> 2/);
    assert.match(err.message, /--restart-changed/);
    return true;
  });
  // A changed cover margin is named at the first arm it touches; nothing was redone by the refusals.
  await assert.rejects(runStudy({ ...TINY_STUDY, out, margin: 6 }), /step arm:covered .*margin: 2 -> 6/);
  assert.deepEqual(JSON.parse(await readFile(join(out, 'steps.json'), 'utf8')), steps);

  const redone = await runStudy({ ...changed, restartChanged: true });
  const after = JSON.parse(await readFile(join(out, 'steps.json'), 'utf8'));
  for (const k of ['phantom', 'labels', 'arm:covered', 'pairing'])
    assert.deepEqual(after[k], steps[k], `${k} was redone`);
  for (const k of ['train:original', 'predict:original', 'cam:original', 'counterfactual'])
    assert.notEqual(after[k].key, steps[k].key, `${k} was not redone`);
  assert.equal((await readResults(out)).config.train.epochs, 2);
  assert.equal(redone.config.train.epochs, 2);
});
