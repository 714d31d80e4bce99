import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runAudit } from '../../src/audit/run-audit.js';
import { OnnxScorer } from '../../src/audit/onnx-scorer.js';
import { prepareInput } from '../../src/audit/preprocess.js';
import { regionModel, type Region } from '../../src/audit/toy-models.js';
import { counterfactual, type Scorer } from '../../src/explain/counterfactual.js';
import { loadDataset } from '../../src/data/load.js';
import { indexBoxes, readBoxes } from '../../src/labels/formats/index.js';
import { makeAuditData, LABEL_BOX, ANATOMY } from './helpers.js';

const run = promisify(execFile);
let dir: string;
let data: { manifest: string; boxes: string };
let cornerModel: string, anatomyModel: string, camModel: string, camWeights: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-audit-'));
  data = await makeAuditData(join(dir, 'data'), 24);
  cornerModel = join(dir, 'corner.onnx');
  anatomyModel = join(dir, 'anatomy.onnx');
  camModel = join(dir, 'corner-cam.onnx');
  camWeights = join(dir, 'cam-weights.json');
  await writeFile(cornerModel, regionModel(LABEL_BOX, { scale: 8, bias: -6 }).onnx);
  await writeFile(anatomyModel, regionModel(ANATOMY, { scale: 8, bias: -4.4 }).onnx);
  const cam = regionModel(LABEL_BOX, { scale: 8, bias: -6, camPool: 4 });
  await writeFile(camModel, cam.onnx);
  await writeFile(camWeights, JSON.stringify({ weights: cam.camWeights }));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const common = () => ({
  data: data.manifest,
  boxes: { file: data.boxes },
  occlusionImages: 6,
  occlusion: { window: 4, stride: 4 },
});

test('a model that reads only the corner label is judged strong, with occlusion attention on the label', async () => {
  const out = join(dir, 'audit-corner');
  const s = await runAudit({ ...common(), model: cornerModel, out });
  assert.equal(s.reliance, 'strong');
  assert.equal(s.counterfactual.n, 24);
  assert.ok(s.counterfactual.covered.mean_abs_delta > 0.3, JSON.stringify(s.counterfactual.covered));
  assert.ok(s.counterfactual.random_cover.mean_abs_delta < 0.01);
  assert.ok(s.occlusion && s.occlusion.label_attention > 0.8 && s.occlusion.chance < 0.1, JSON.stringify(s.occlusion));
  const saved = JSON.parse(await readFile(join(out, 'audit.json'), 'utf8'));
  assert.equal(saved.reliance, 'strong');
  assert.equal(saved.counterfactual_images.length, 24);
  const html = await readFile(join(out, 'report.html'), 'utf8');
  assert.match(html, /Reliance on labels: strong/);
  assert.match(html, /data:image\/png;base64,/);
});

test('a model that reads only the central anatomy is judged none', async () => {
  const s = await runAudit({ ...common(), model: anatomyModel, out: join(dir, 'audit-anatomy') });
  assert.equal(s.reliance, 'none');
  assert.ok(s.counterfactual.covered.mean_abs_delta < 1e-6);
  assert.ok(
    s.counterfactual.auc_original! > 0.8,
    'the anatomy carries the label, so the cover test has labels to compare',
  );
  assert.ok(!s.occlusion || s.occlusion.label_attention < s.occlusion.chance);
});

test('CAM from the feature-map output and classifier weights puts the map on the label', async () => {
  const s = await runAudit({
    ...common(),
    occlusionImages: 0,
    model: camModel,
    out: join(dir, 'audit-cam'),
    cam: { output: 'features', weights: camWeights },
  });
  assert.equal(s.reliance, 'strong');
  assert.equal(s.occlusion, null);
  assert.ok(s.cam && s.cam.n === 24 && s.cam.label_attention > 0.5 && s.cam.ratio > 8, JSON.stringify(s.cam));
  await assert.rejects(
    runAudit({ ...common(), model: camModel, out: join(dir, 'x'), cam: { output: 'nope', weights: camWeights } }),
    /corner-cam\.onnx: no output named "nope"/,
  );
});

/** The same model as regionModel, computed in-process: p = sigmoid(scale * mean over region + bias). */
function inProcessScorer(region: Region, scale: number, bias: number): Scorer {
  const pp = { size: 64, channels: 1 as const, mean: [0], std: [1], resize: 'stretch' as const };
  return {
    batchSize: 5,
    prepare: (img) => prepareInput(img, pp),
    score: async (batch, n) => {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let y = region.y; y < region.y + region.h; y++)
          for (let x = region.x; x < region.x + region.w; x++) s += batch[i * 4096 + y * 64 + x];
        out[i] = 1 / (1 + Math.exp(-((scale * s) / (region.w * region.h) + bias)));
      }
      return out;
    },
  };
}

test('the ONNX path and an equivalent in-process scorer give the same cover-test numbers', async () => {
  const ds = await loadDataset(data.manifest);
  const boxes = indexBoxes(await readBoxes(data.boxes, { dataset: ds }));
  for (const [region, bias] of [
    [LABEL_BOX, -6],
    [ANATOMY, -4.4],
  ] as const) {
    const onnx = await OnnxScorer.load(region === LABEL_BOX ? cornerModel : anatomyModel, { batchSize: 7 });
    const a = await counterfactual(onnx, ds.records, boxes, { margin: 2, seed: 3 });
    const b = await counterfactual(inProcessScorer(region, 8, bias), ds.records, boxes, { margin: 2, seed: 3 });
    await onnx.close();
    assert.equal(a.n, b.n);
    for (let i = 0; i < a.n; i++) {
      for (const k of ['p_original', 'p_covered', 'p_random_cover'] as const)
        assert.ok(Math.abs(a.images[i][k] - b.images[i][k]) < 1e-5, `${a.images[i].id} ${k}`);
    }
    assert.ok(Math.abs(a.covered.mean_abs_delta - b.covered.mean_abs_delta) < 1e-5);
    assert.ok(Math.abs(a.random_cover.mean_abs_delta - b.random_cover.mean_abs_delta) < 1e-5);
    assert.equal(a.covered.flip_rate, b.covered.flip_rate);
    assert.ok(Math.abs(a.auc_covered! - b.auc_covered!) < 1e-9);
  }
});

test('confound audit --json prints the verdict; bad invocations fail with a message', async () => {
  const cli = join(process.cwd(), 'dist/src/cli/main.js');
  const out = join(dir, 'audit-cli');
  const args = (model: string, occlusionImages = 0) => [
    cli,
    'audit',
    '--model',
    model,
    '--data',
    data.manifest,
    '--boxes',
    data.boxes,
    '--out',
    out,
    '--occlusion-images',
    String(occlusionImages),
  ];
  const { stdout } = await run(process.execPath, [...args(cornerModel, 2), '--json']);
  const j = JSON.parse(stdout);
  assert.equal(j.reliance, 'strong');
  assert.equal(j.model.preprocess.size, 64);
  await assert.rejects(
    run(process.execPath, [...args(cornerModel), '--fail-on', 'strong']),
    (e: { code: number; stdout: string }) =>
      e.code === 3 &&
      /^FAIL \(--fail-on strong\): reliance on labels strong: covering the labels moved the model's logit/.test(
        e.stdout,
      ),
  );
  const pass = await run(process.execPath, [...args(anatomyModel), '--fail-on', 'weak']);
  assert.match(pass.stdout, /^pass \(--fail-on weak\): reliance on labels none/);
  await assert.rejects(
    run(process.execPath, [...args(anatomyModel), '--fail-on', 'weakish']),
    /--fail-on.*weakish.*Allowed choices are weak, strong/s,
  );
  await assert.rejects(
    run(process.execPath, [cli, 'audit', '--model', cornerModel, '--data', data.manifest, '--out', out]),
    /give --boxes FILE or --detect/,
  );
  await assert.rejects(run(process.execPath, args(join(dir, 'missing.onnx'))), /missing\.onnx: no such model file/);
});
