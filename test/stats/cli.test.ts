import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { aucCiDelong, delongPaired, aggregateByStudy } from '../../src/stats/index.js';
import { runCompare } from '../../src/cli/compare.js';
import { Rng } from '../../src/util/rng.js';

const run = promisify(execFile);
const MAIN = new URL('../../src/cli/main.js', import.meta.url).pathname;

interface Row {
  id: string;
  study: string;
  label: number;
  a: number;
  b: number;
}
function makeRows(seed: number, studies = 60): Row[] {
  const rng = new Rng(seed);
  const rows: Row[] = [];
  for (let s = 0; s < studies; s++) {
    const label = s % 2;
    const images = rng.int(1, 3);
    for (let k = 0; k < images; k++) {
      const base = rng.normal(label, 1);
      rows.push({
        id: `p${s}/s1/img${k}.png`,
        study: `p${s}/s1`,
        label,
        a: 1 / (1 + Math.exp(-base)),
        b: 1 / (1 + Math.exp(-(base + rng.normal(0, 1.2)))),
      });
    }
  }
  return rows;
}
function csv(rows: Row[], key: 'a' | 'b'): string {
  return (
    'id,path,patient,study,label,score\n' +
    rows.map((r) => `${r.id},/data/${r.id},${r.study.split('/')[0]},${r.study},${r.label},${r[key]}`).join('\n') +
    '\n'
  );
}

async function setup(): Promise<{ dir: string; rows: Row[]; a: string; b: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'confound-compare-'));
  const rows = makeRows(3);
  const a = join(dir, 'a.csv');
  const b = join(dir, 'b.csv');
  await writeFile(a, csv(rows, 'a'));
  // The second file lists the same images in another order: pairing is by id.
  await writeFile(b, csv([...rows].reverse(), 'b'));
  return { dir, rows, a, b };
}

test('confound compare --json matches the pure functions at image and study level', async () => {
  const { rows, a, b } = await setup();
  const { stdout } = await run(process.execPath, [MAIN, 'compare', '--scores', a, '--scores', b, '--json']);
  const out = JSON.parse(stdout);
  const y = rows.map((r) => r.label);
  const t = delongPaired(
    y,
    rows.map((r) => r.a),
    rows.map((r) => r.b),
  );
  assert.equal(out.n, rows.length);
  assert.equal(out.n_pos, y.filter((v) => v === 1).length);
  assert.deepEqual(out.auc, [t.auc1, t.auc2]);
  assert.deepEqual(
    out.ci[0],
    aucCiDelong(
      y,
      rows.map((r) => r.a),
    ).ci,
  );
  assert.equal(out.z, t.z);
  assert.equal(out.p, t.p);
  assert.equal(out.diff, t.diff);

  const study = await runCompare([a, b], 'study');
  const sa = aggregateByStudy(rows.map((r) => ({ study: r.study, label: r.label, score: r.a })));
  const sb = aggregateByStudy(rows.map((r) => ({ study: r.study, label: r.label, score: r.b })));
  assert.equal(study.n, 60);
  const ts = delongPaired(
    sa.map((s) => s.label),
    sa.map((s) => s.score),
    sb.map((s) => s.score),
  );
  assert.equal(study.z, ts.z);

  const text = (await run(process.execPath, [MAIN, 'compare', '--scores', a])).stdout;
  assert.match(text, /AUC 0\.\d{4}\s+95% CI 0\.\d{4}-0\.\d{4}/);
  assert.doesNotMatch(text, /paired DeLong/);
});

test('confound compare errors name the files and the problem', async () => {
  const { dir, rows, a } = await setup();
  const fewer = join(dir, 'fewer.csv');
  await writeFile(fewer, csv(rows.slice(4), 'b'));
  await assert.rejects(runCompare([a, fewer]), /4 only in .*a\.csv \("p0\/s1\/img0\.png", .*\.\.\.\)/);
  const flipped = join(dir, 'flipped.csv');
  await writeFile(
    flipped,
    csv(
      rows.map((r, i) => (i === 0 ? { ...r, label: 1 - r.label } : r)),
      'b',
    ),
  );
  await assert.rejects(runCompare([a, flipped]), /labels disagree between .* for 1 key/);
  const bad = join(dir, 'bad.csv');
  await writeFile(bad, 'id,path,patient,study,label,score\nx,x,p,s,1,abc\n');
  await assert.rejects(runCompare([bad]), /bad\.csv: line 2 \(id "x"\): score "abc" is not a finite number/);
  await writeFile(bad, 'id,label,score\nx,1,0.5\n');
  await assert.rejects(runCompare([bad]), /bad\.csv: missing column\(s\) path, patient, study/);
  const oneClass = join(dir, 'one.csv');
  await writeFile(
    oneClass,
    csv(
      rows.filter((r) => r.label === 1),
      'a',
    ),
  );
  await assert.rejects(runCompare([oneClass]), /one\.csv: AUC needs both classes: got \d+ positives and 0 negatives/);
  const res = await run(process.execPath, [MAIN, 'compare', '--scores', a, '--level', 'studdy']).catch(
    (e: { stderr: string; code: number }) => e,
  );
  assert.equal((res as { code: number }).code, 1);
  assert.match((res as { stderr: string }).stderr, /did you mean "study"/);
});

test('confound screen --json on a small table', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-screen-'));
  const rng = new Rng(5);
  const lines = ['id,label,site,noise'];
  for (let i = 0; i < 200; i++) {
    const y = rng.bool(0.5) ? 1 : 0;
    lines.push(`case${i},${y},${rng.bool(y ? 0.8 : 0.2) ? 'A' : 'B'},${rng.normal(0, 1).toFixed(4)}`);
  }
  const file = join(dir, 'meta.csv');
  await writeFile(file, lines.join('\n') + '\n');
  const out = JSON.parse(
    (await run(process.execPath, [MAIN, 'screen', '--table', file, '--outcome', 'label', '--json'])).stdout,
  );
  assert.equal(out.outcome, 'label');
  assert.equal(out.n, 200);
  assert.deepEqual(
    out.columns.map((c: { column: string }) => c.column),
    ['site', 'noise', 'id'],
  );
  assert.deepEqual(
    out.columns.map((c: { kind: string }) => c.kind),
    ['categorical', 'numeric', 'identifier'],
  );
  const res = await run(process.execPath, [MAIN, 'screen', '--table', file, '--outcome', 'lable']).catch(
    (e: { stderr: string }) => e,
  );
  assert.match((res as { stderr: string }).stderr, /meta\.csv: outcome column "lable" not found/);
});
