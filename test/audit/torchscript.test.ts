import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runAudit, type AuditSummary } from '../../src/audit/run-audit.js';
import { loadDataset } from '../../src/data/load.js';
import { readImage } from '../../src/data/read-image.js';
import { indexBoxes, readBoxes } from '../../src/labels/formats/index.js';
import { applyVariant, type VariantMode } from '../../src/variants/index.js';
import { encodeNpy } from '../../src/explain/npy.js';
import { makeAuditData } from './helpers.js';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
let hasEngine = true;
try {
  (await import('../../src/engine/native.js')).nativeEngine();
} catch {
  hasEngine = false;
}
const skip = !hasTorch ? 'needs Debian python3-torch' : !hasEngine ? 'needs the libtorch engine addon' : false;

let dir: string;
let audit: { manifest: string; boxes: string };
const models: Record<string, { pt: string; onnx: string; pMin: number; pMax: number }> = {};

/** The training set as one variant, written as the model's input [N, 1, 64, 64] and labels [N]. */
async function variantSet(
  data: { manifest: string; boxes: string },
  mode: VariantMode,
  out: string,
): Promise<[string, string]> {
  const ds = await loadDataset(data.manifest);
  const boxes = indexBoxes(await readBoxes(data.boxes, { dataset: ds }));
  const n = ds.records.length;
  const x = new Float32Array(n * 64 * 64),
    y = new Float32Array(n);
  for (const [i, r] of ds.records.entries()) {
    x.set(applyVariant(await readImage(r.path), boxes.get(r.id)!, mode, { margin: 2 }).data, i * 64 * 64);
    y[i] = r.label!;
  }
  await writeFile(`${out}-x.npy`, encodeNpy(x, [n, 1, 64, 64]));
  await writeFile(`${out}-y.npy`, encodeNpy(y, [n]));
  return [`${out}-x.npy`, `${out}-y.npy`];
}

/** A little-endian float32, C-order .npy file as numpy writes it (format 1.0). */
function readNpyF32(buf: Buffer): { shape: number[]; data: Float32Array } {
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  assert.match(header, /'descr': '<f4', 'fortran_order': False/);
  const shape = /'shape': \(([^)]*)\)/
    .exec(header)![1]
    .split(',')
    .filter((d) => d.trim())
    .map(Number);
  const body = buf.subarray(10 + headerLen);
  return { shape, data: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)) };
}

async function train(name: string, files: [string, string], steps: number, lr: number): Promise<void> {
  const prefix = join(dir, name);
  const { stdout } = await run(PYTHON, [
    join(process.cwd(), 'test/audit/train-cnn.py'),
    ...files,
    String(steps),
    String(lr),
    prefix,
  ]);
  const [, pMin, pMax] = stdout.trim().split(/\s+/).map(Number);
  models[name] = { pt: `${prefix}.pt`, onnx: `${prefix}.onnx`, pMin, pMax };
}

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'confound-torchscript-'));
  const trainData = await makeAuditData(join(dir, 'train'), 48, 64, 5, 'striped');
  audit = await makeAuditData(join(dir, 'audit'), 32, 64, 9, 'striped');
  const labelsOnly = await variantSet(trainData, 'labels-only', join(dir, 'labels-only'));
  const covered = await variantSet(trainData, 'cover', join(dir, 'covered'));
  await train('labels', labelsOnly, 200, 0.01);
  await train('labels-little', labelsOnly, 20, 0.003);
  await train('covered', covered, 200, 0.01);
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function auditOf(model: string, out: string, occlusionImages: number): Promise<AuditSummary> {
  return runAudit({
    model,
    data: audit.manifest,
    boxes: { file: audit.boxes },
    out: join(dir, out),
    occlusionImages,
    occlusion: { window: 8, stride: 4 },
    scorer: { preset: 'none', inputSize: 64, channels: 1 },
    ...(model.endsWith('.pt') ? { camLayer: 'features' } : {}),
  });
}

// The phantom's label is thin strokes at the background's mean brightness, vertical for abnormal and horizontal
// for normal; the disc is brighter in abnormal images (makeAuditData 'striped'). A CNN trained on labels-only
// images can read nothing but the strokes; trained on covered images, nothing but the disc.
test('a CNN trained on labels-only images is strong as TorchScript and as ONNX, also barely trained; trained on covered images, none', {
  skip,
}, async (t) => {
  assert.ok(
    models['labels-little'].pMin > 0.45 && models['labels-little'].pMax < 0.55,
    `barely trained: outputs ${models['labels-little'].pMin}..${models['labels-little'].pMax}`,
  );
  const expected = { labels: 'strong', 'labels-little': 'strong', covered: 'none' } as const;
  for (const name of ['labels', 'labels-little', 'covered'] as const) {
    const maps = name === 'labels' ? 8 : 2;
    const pt = await auditOf(models[name].pt, `${name}-pt`, maps);
    const onnx = await auditOf(models[name].onnx, `${name}-onnx`, maps);
    for (const s of [pt, onnx]) {
      assert.equal(s.reliance, expected[name], `${name} ${s.model.format}: ${s.verdict.summary}`);
      assert.ok(s.verdict.conclusive, s.verdict.summary);
    }
    assert.deepEqual([pt.model.format, onnx.model.format], ['torchscript', 'onnx']);
    // libtorch and onnxruntime run the same network: the same answers, image by image.
    assert.equal(pt.counterfactual.n, onnx.counterfactual.n);
    for (const k of ['covered', 'random_cover'] as const) {
      assert.ok(
        Math.abs(pt.counterfactual[k].mean_abs_delta - onnx.counterfactual[k].mean_abs_delta) < 1e-4,
        `${name} ${k}`,
      );
    }
    assert.ok(
      pt.gradient && pt.gradient.n > 0 && Number.isFinite(pt.gradient.label_attention),
      'TorchScript gets a gradient map',
    );
    assert.equal(onnx.gradient, null);
    assert.equal(onnx.gradcam, null);
    assert.ok(
      pt.gradcam && pt.gradcam.n === pt.counterfactual.n,
      'TorchScript gets Grad-CAM at --cam-layer for every image',
    );
    if (name === 'labels') {
      const maps = [
        ['TorchScript occlusion', pt.occlusion!],
        ['ONNX occlusion', onnx.occlusion!],
        ['TorchScript windowed input x gradient', pt.gradient!],
        ['TorchScript Grad-CAM at features', pt.gradcam!],
      ] as const;
      for (const [what, m] of maps) {
        t.diagnostic(`${what}: ${(m.label_attention / m.chance).toFixed(2)}x chance on the labels`);
        assert.ok(m.label_attention >= 3 * m.chance, `${what}: ${m.label_attention} on the labels, chance ${m.chance}`);
      }
    }
  }
});

test('the TorchScript input gradient agrees with finite differences of its forward', { skip }, async () => {
  const { TorchScriptModel } = await import('../../src/engine/torchscript.js');
  using m = await TorchScriptModel.load(models.labels.pt);
  const b = { n: 1, channels: 1, height: 64, width: 64 };
  const x = new Float32Array(64 * 64);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 101) / 101;
  const { gradients } = await m.gradient(x, b, 0);
  for (const i of [5 * 64 + 6, 10 * 64 + 12, 32 * 64 + 32, 60 * 64 + 3]) {
    const h = 1e-2,
      up = x.slice(),
      down = x.slice();
    up[i] += h;
    down[i] -= h;
    const fd = ((await m.forward(up, b)).data[0] - (await m.forward(down, b)).data[0]) / (2 * h);
    assert.ok(
      Math.abs(fd - gradients[i]) < 1e-3 + 0.02 * Math.abs(fd),
      `pixel ${i}: gradient ${gradients[i]}, finite difference ${fd}`,
    );
  }
  await assert.rejects(
    TorchScriptModel.load(join(dir, 'labels-only-x.npy')),
    /labels-only-x\.npy: not a loadable TorchScript model/,
  );
  await assert.rejects(m.gradient(x, b, 3), /output index 3 but the model gives 1 values per image/);
});

test('the addon gives the output of a named submodule and its gradient as PyTorch does', { skip }, async () => {
  const { TorchScriptModel } = await import('../../src/engine/torchscript.js');
  using m = await TorchScriptModel.load(models.labels.pt);
  const npy = async (f: string) => readNpyF32(await readFile(f));
  const x = await npy(join(dir, 'labels-only-x.npy'));
  const b = { n: 4, channels: 1, height: 64, width: 64 };
  const a = await npy(join(dir, 'labels-features.npy'));
  const g = await npy(join(dir, 'labels-features-grad.npy'));
  // Twice: the second call runs the model's cached, already-used copy.
  for (let t = 0; t < 2; t++) {
    const { capture } = await m.capture(Float32Array.from(x.data.subarray(0, 4 * 64 * 64)), b, 0, 'features');
    assert.deepEqual([capture.n, capture.c, capture.h, capture.w], a.shape);
    for (const [what, got, want] of [
      ['activation', capture.activations, a.data],
      ['gradient', capture.gradients, g.data],
    ] as const) {
      let worst = 0,
        scale = 0;
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(got[i] - want[i]));
        scale = Math.max(scale, Math.abs(want[i]));
      }
      assert.ok(scale > 0 && worst <= 1e-5 * scale, `call ${t + 1}, ${what}: max difference ${worst} (scale ${scale})`);
    }
  }
  assert.ok(m.layers().includes('features.2'), m.layers().join(', '));
  assert.throws(() => m.capture(x.data.subarray(0, 4 * 64 * 64), b, 0, 'feature'), /did you mean "features"\?/);
  const bad = (model: string, camLayer: string) =>
    runAudit({
      model,
      data: audit.manifest,
      boxes: { file: audit.boxes },
      out: join(dir, 'bad-layer'),
      scorer: { preset: 'none', inputSize: 64, channels: 1 },
      camLayer,
    });
  await assert.rejects(
    bad(models.labels.pt, 'featurs'),
    /labels\.pt: --cam-layer "featurs" is no submodule of the model \(did you mean "features"\?\); top-level submodules: features, head$/,
  );
  await assert.rejects(bad(models.labels.onnx, 'features'), /labels\.onnx: --cam-layer names a TorchScript submodule/);
});
