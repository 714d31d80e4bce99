import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile, readdir, symlink } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateDataset } from '../../src/synth/index.js';
import { loadDataset } from '../../src/data/load.js';
import { train, studySplits, scoreRecords } from '../../src/train/index.js';
import { auc } from '../../src/stats/auc.js';
import { tinyTrainArgs } from '../fixtures/train-args.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
let dir: string;
let data: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-train-'));
  data = join(dir, 'data');
  await generateDataset(data, { studies: 160, size: 128, seed: 11 });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a phantom training run (densenet-small, 128 px, 3 epochs) learns a visible property: hand/finger/wrist vs the rest', async () => {
  // The loop's own correctness (inputs matched to targets, optimiser, schedule, best-epoch weights) is tested on a
  // signal a CNN picks up in an epoch. The phantom's abnormalities are subtle on purpose and take far longer.
  const ds = await loadDataset(data);
  const hand = new Set(['XR_HAND', 'XR_FINGER', 'XR_WRIST']);
  const records = ds.records.map((r) => ({ ...r, label: (hand.has(r.part ?? '') ? 1 : 0) as 0 | 1 }));
  const s = studySplits(records, 0);
  const run = join(dir, 'run-auc');
  // At lr 2e-3 the validation loss swung from epoch to epoch, and on one CPU (Xeon, AVX-512) the best epoch's test
  // AUC was 0.797; at 5e-4 validation AUC reaches 0.995 by epoch 2 there.
  const r = await train({ train: s.train, valid: s.valid }, run, {
    arch: 'densenet-small',
    size: 128,
    epochs: 3,
    batch: 16,
    lr: 5e-4,
    mean: 0,
    seed: 0,
    threads: 2,
  });
  assert.equal(r.history.length, 3);
  const lines = (await readFile(join(run, 'metrics.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => l.epoch),
    [1, 2, 3],
  );
  const scores = await scoreRecords(run, s.test);
  const testAuc = auc(
    scores.map((x) => x.label as number),
    scores.map((x) => x.score),
  );
  assert.ok(r.bestAuc > 0.8, `best validation AUC ${r.bestAuc}`);
  assert.ok(testAuc > 0.8, `test AUC ${testAuc}`);
  // The trained run's weights exported to ONNX and scored by onnxruntime: the same probabilities.
  const viaOnnx = await scoreRecords(run, s.test, 2, [], 'cpu', 'onnx');
  assert.deepEqual(
    viaOnnx.map((x) => x.id),
    scores.map((x) => x.id),
  );
  const worst = Math.max(...viaOnnx.map((x, i) => Math.abs(x.score - scores[i].score)));
  assert.ok(worst < 1e-4, `onnxruntime and the engine differ by ${worst}`);
});

function runCli(
  args: string[],
  quiet = false,
): { child: ReturnType<typeof spawn>; done: Promise<number>; stderr: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const done = new Promise<number>((res) =>
    child.on('exit', (code, signal) => {
      if (code && code !== 0 && !quiet) process.stderr.write(err);
      res(code ?? (signal ? -1 : 0));
    }),
  );
  return { child, done, stderr: () => err };
}

/** Run a command expected to fail: its exit code and stderr. */
async function failing(args: string[]): Promise<{ code: number; stderr: string }> {
  const r = runCli(args, true);
  return { code: await r.done, stderr: r.stderr() };
}

test('a run killed after its first epoch resumes to the same weights as an uninterrupted run', async () => {
  const common = tinyTrainArgs({ data, size: 64, epochs: 3, batch: 16, seed: 3 });
  const whole = join(dir, 'whole');
  assert.equal(await runCli([...common, '--out', whole]).done, 0);

  const killed = join(dir, 'killed');
  const first = runCli([...common, '--out', killed]);
  const state = join(killed, 'state.json');
  await new Promise<void>((res, rej) => {
    const timer = setInterval(() => {
      try {
        if (existsSync(state) && JSON.parse(readFileSync(state, 'utf8')).epochsDone >= 1) {
          clearInterval(timer);
          first.child.kill('SIGKILL');
          res();
        }
      } catch {
        /* half-written: atomic writes make this rare; poll again */
      }
    }, 20);
    first.done.then(() => {
      clearInterval(timer);
      rej(new Error('the run finished before it could be killed'));
    });
  });
  await first.done;
  assert.equal(JSON.parse(await readFile(state, 'utf8')).epochsDone, 1);
  // The killed run has best weights on disk, but no completion mark: predict refuses it and says how to finish it.
  assert.ok(existsSync(join(killed, 'model.safetensors')));
  assert.equal(existsSync(join(killed, '.complete')), false);
  const refused = await failing(['predict', '--run', killed, '--data', data, '--out', join(dir, 'killed.csv')]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`${killed}: the training run is incomplete .*--out ${killed} --resume`));
  assert.equal(existsSync(join(dir, 'killed.csv')), false);
  // Without --resume the unfinished run is not overwritten either.
  const again = await failing([...common, '--out', killed]);
  assert.match(
    again.stderr,
    /already holds an unfinished training run; use --resume to continue it, --overwrite to replace it/,
  );
  assert.equal(JSON.parse(await readFile(state, 'utf8')).epochsDone, 1);
  assert.equal(await runCli([...common, '--out', killed, '--resume']).done, 0);
  assert.equal(JSON.parse(await readFile(join(killed, '.complete'), 'utf8')).epochs, 3);
  assert.equal(existsSync(join(killed, '.confound.lock')), false);

  const a = await readFile(join(whole, 'model.safetensors'));
  const b = await readFile(join(killed, 'model.safetensors'));
  assert.ok(a.equals(b), 'best weights differ after resume');
  const ma = await readFile(join(whole, 'metrics.jsonl'), 'utf8');
  const mb = await readFile(join(killed, 'metrics.jsonl'), 'utf8');
  const strip = (t: string) =>
    t
      .trim()
      .split('\n')
      .map((l) => {
        const m = JSON.parse(l);
        delete m.images_per_s;
        delete m.seconds;
        return m;
      });
  assert.deepEqual(strip(mb), strip(ma));
});

test('predict, cam and counterfactual run on a trained run and write what they promise', async () => {
  const run = join(dir, 'whole');
  if (!existsSync(join(run, 'model.safetensors')))
    assert.equal(
      await runCli([
        'train',
        '--data',
        data,
        '--profile',
        'quick',
        '--arch',
        'densenet-tiny',
        '--size',
        '64',
        '--epochs',
        '1',
        '--out',
        run,
      ]).done,
      0,
    );
  const scores = join(dir, 'scores.csv');
  assert.equal(await runCli(['predict', '--run', run, '--data', data, '--out', scores]).done, 0);
  const rows = (await readFile(scores, 'utf8')).trim().split('\n');
  assert.equal(rows[0], 'id,path,patient,study,label,score');
  const split = JSON.parse(await readFile(join(run, 'split.json'), 'utf8'));
  assert.equal(rows.length - 1, split.test.length);
  for (const r of rows.slice(1)) {
    const p = Number(r.split(',').at(-1));
    assert.ok(p >= 0 && p <= 1);
  }

  const boxes = join(data, 'labels.coco.json');
  const cam = join(dir, 'cam');
  assert.equal(
    await runCli(['cam', '--run', run, '--data', data, '--boxes', boxes, '--out', cam, '--max-files', '3']).done,
    0,
  );
  const per = JSON.parse(await readFile(join(cam, 'attention.json'), 'utf8'));
  assert.equal(per.length, split.test.length);
  const withFiles = per.filter((x: { overlay?: string }) => x.overlay);
  assert.equal(withFiles.length, 3);
  const npy = await readFile(join(cam, withFiles[0].map));
  assert.equal(npy.subarray(1, 6).toString('latin1'), 'NUMPY');
  assert.equal(npy.length - npy.readUInt16LE(8) - 10, 64 * 64 * 4);

  const cf = join(dir, 'cf.json');
  assert.equal(await runCli(['counterfactual', '--run', run, '--data', data, '--boxes', boxes, '--out', cf]).done, 0);
  const r = JSON.parse(await readFile(cf, 'utf8'));
  assert.equal(r.images.length, r.n);
  assert.ok(r.covered.mean_abs_delta >= 0 && r.covered.flip_rate <= 1);
});

test('train --out onto a finished run is refused without --resume or --overwrite; writers refuse outputs inside the data', async () => {
  const common = tinyTrainArgs({ data, size: 64, batch: 16 });
  // The 3-epoch run the tests above finished.
  const run = join(dir, 'whole');
  if (!existsSync(join(run, '.complete')))
    assert.equal(await runCli([...common, '--epochs', '3', '--seed', '3', '--out', run]).done, 0);
  const weights = await readFile(join(run, 'model.safetensors'));
  const r = await failing([...common, '--epochs', '1', '--seed', '9', '--out', run]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    new RegExp(`${run}: already holds a finished training run; use --resume to keep it, --overwrite to replace it`),
  );
  assert.ok((await readFile(join(run, 'model.safetensors'))).equals(weights), 'the finished run was changed');
  assert.match(
    (await failing([...common, '--resume', '--overwrite', '--out', run])).stderr,
    /cannot be used with option/,
  );
  // --resume on a finished run (same settings) keeps it as it is.
  assert.equal(await runCli([...common, '--epochs', '3', '--seed', '3', '--resume', '--out', run]).done, 0);
  assert.ok((await readFile(join(run, 'model.safetensors'))).equals(weights));
  assert.equal(await runCli([...common, '--epochs', '1', '--seed', '9', '--overwrite', '--out', run]).done, 0);
  assert.equal(JSON.parse(await readFile(join(run, 'config.json'), 'utf8')).train.seed, 9);
  assert.ok(existsSync(join(run, '.complete')));

  // A missing run names the flag it came from.
  const missing = await failing([
    'predict',
    '--run',
    join(dir, 'MISSING'),
    '--data',
    data,
    '--out',
    join(dir, 'm.csv'),
  ]);
  assert.match(missing.stderr, new RegExp(`--run ${join(dir, 'MISSING')}: no such training run folder`));
  assert.doesNotMatch(missing.stderr, /--variant-of/);

  // Outputs that resolve inside the dataset are refused before anything is written, symlinks followed.
  const link = join(dir, 'data-link');
  await symlink(data, link);
  const before = (await readdir(data, { recursive: true })).sort();
  const cases: [string, string[]][] = [
    ['train', [...common, '--epochs', '1', '--out', join(link, 'run')]],
    ['predict', ['predict', '--run', run, '--data', data, '--out', join(link, 'scores.csv')]],
    ['cam', ['cam', '--run', run, '--data', data, '--out', join(link, 'cam')]],
    ['cam', ['cam', '--run', run, '--data', data, '--out', join(run, 'cam')]],
    ['detect', ['detect', '--data', data, '--out', join(data, 'boxes.coco.json')]],
    ['detect', ['detect', '--data', data, '--out', join(dir, 'b.json'), '--table', join(link, 'table.csv')]],
    ['table', ['table', '--data', data, '--out', join(link, 'meta.csv')]],
  ];
  for (const [name, args] of cases) {
    const f = await failing(args);
    assert.equal(f.code, 1, name);
    assert.match(
      f.stderr,
      /(must not be the (dataset|dataset folder|training run) or inside it|, inside the dataset)/,
      `${name}: ${f.stderr}`,
    );
  }
  assert.deepEqual((await readdir(data, { recursive: true })).sort(), before);
  assert.equal(existsSync(join(run, 'cam')), false);
});

test('cam output is marked complete when it is finished, and the mark is cleared when a rerun starts', async () => {
  const run = join(dir, 'whole');
  const cam = join(dir, 'cam-marked');
  assert.equal(
    await runCli(['cam', '--run', run, '--data', data, '--out', cam, '--max-files', '1', '--split', 'valid']).done,
    0,
  );
  const mark = JSON.parse(await readFile(join(cam, '.complete'), 'utf8'));
  assert.equal(mark.images, JSON.parse(await readFile(join(cam, 'attention.json'), 'utf8')).length);
  // A rerun that fails half-way (an unknown layer) leaves the folder unmarked.
  const f = await failing([
    'cam',
    '--run',
    run,
    '--data',
    data,
    '--out',
    cam,
    '--layer',
    'features.nope',
    '--split',
    'valid',
  ]);
  assert.equal(f.code, 1);
  assert.equal(existsSync(join(cam, '.complete')), false);
});
