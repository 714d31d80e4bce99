import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareInput, resizeToModel } from '../../src/audit/preprocess.js';
import { OnnxScorer } from '../../src/audit/onnx-scorer.js';
import { OnnxGraph } from '../../src/infer/index.js';
import { PRESETS } from '../../src/audit/presets.js';
import type { GrayImage } from '../../src/data/image.js';

// Made by scripts/make-onnx-fixtures.py with torchvision 0.14 (TF.resize antialias=True + TF.center_crop).
const DIR = join(process.cwd(), 'test/fixtures/onnx');
let dir: string;

function image(w: number, h: number, k: number): GrayImage {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = ((x * 7 + y * 13 + k) % 17) / 16;
  return { width: w, height: h, data, bits: 8 };
}

/** An identity-like model: outputs the mean of its input [N, C, S, S] (S, C free unless fixed). */
function meanModel(size: number | string, channels: number | string, meta: Record<string, string> = {}): Uint8Array {
  const g = new OnnxGraph().input('image', ['N', channels, size, size]).output('prob', ['N', 1]);
  for (const [k, v] of Object.entries(meta)) g.meta(k, v);
  g.node('ReduceMean', ['image'], ['m'], { axes: { ints: [1, 2, 3] }, keepdims: { i: 0 } });
  g.int64('shape', [2], [-1, 1]);
  g.node('Reshape', ['m', 'shape'], ['prob']);
  return g.encode('mean');
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-presets-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('centre crop matches torchvision Resize(round(S / f)) + CenterCrop(S)', async () => {
  const ref = JSON.parse(await readFile(join(DIR, 'crop-reference.json'), 'utf8')) as {
    cases: { width: number; height: number; k: number; size: number; fraction: number; cropped: number[] }[];
  };
  for (const c of ref.cases) {
    const ours = resizeToModel(image(c.width, c.height, c.k), {
      size: c.size,
      channels: 1,
      mean: [0],
      std: [1],
      resize: 'stretch',
      centerCrop: c.fraction,
    }).gray;
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - c.cropped[i]));
    assert.ok(worst < 1e-5, `${c.width}x${c.height} -> ${c.size} (${c.fraction}): max difference ${worst}`);
  }
});

test('the torchxrayvision preset scales the centre square onto [-1024, 1024], one channel', () => {
  const img = image(30, 20, 3);
  const x = prepareInput(img, {
    size: 10,
    channels: 1,
    mean: [0],
    std: [1],
    resize: 'stretch',
    centerCrop: 1,
    range: [-1024, 1024],
  });
  const g = resizeToModel(img, { size: 10, channels: 1, mean: [0], std: [1], resize: 'stretch', centerCrop: 1 }).gray;
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i] - (2048 * g[i] - 1024)) < 1e-3);
  // A box maps into the crop: 30 x 20 resized to 15 x 10, the crop starts at round(2.5) = 2 (half to even, as Python).
  const r = resizeToModel(img, { size: 10, channels: 1, mean: [0], std: [1], resize: 'stretch', centerCrop: 1 });
  assert.deepEqual(r.toModel({ x: 4, y: 0, w: 4, h: 2 }), { x: 0, y: 0, w: 2, h: 1 });
});

test('preprocessing comes from metadata_props < sidecar < --preset < explicit options, and says so', async () => {
  const m = join(dir, 'm.onnx');
  await writeFile(m, meanModel('S', 'C', { 'confound.preprocess': JSON.stringify({ preset: 'torchxrayvision' }) }));
  let s = await OnnxScorer.load(m);
  assert.deepEqual(
    [s.preprocess.size, s.preprocess.channels, s.preprocess.centerCrop, s.preprocess.range],
    [224, 1, 1, [-1024, 1024]],
  );
  assert.equal(s.info().preprocess_source, 'ONNX metadata_props');
  await s.close();
  await writeFile(`${m}.json`, JSON.stringify({ preset: 'imagenet', size: 112 }));
  s = await OnnxScorer.load(m);
  assert.deepEqual(
    [s.preprocess.size, s.preprocess.channels, s.preprocess.centerCrop, s.preprocess.mean],
    [112, 3, 0.875, PRESETS.imagenet.mean],
  );
  await s.close();
  s = await OnnxScorer.load(m, { preset: 'mura-densenet', mean: [0.5], std: [0.25] });
  assert.deepEqual(
    [s.preprocess.size, s.preprocess.centerCrop, s.preprocess.mean, s.preprocess.std],
    [320, undefined, [0.5], [0.25]],
  );
  assert.equal(s.info().preprocess_source, `ONNX metadata_props < sidecar ${m}.json < preset mura-densenet < options`);
  // The preset's output activation is used unless the options say otherwise.
  await s.score(s.prepare(image(8, 8, 1)), 1);
  assert.equal(s.info().activation, 'sigmoid');
  await s.close();
  // Per-field metadata keys, plain values.
  const m2 = join(dir, 'm2.onnx');
  await writeFile(m2, meanModel(16, 1, { preset: 'none', range: '-1,1', center_crop: '0.5' }));
  s = await OnnxScorer.load(m2);
  assert.deepEqual([s.preprocess.size, s.preprocess.range, s.preprocess.centerCrop], [16, [-1, 1], 0.5]);
  await s.close();
});

test('bad or contradicting preprocessing is refused with the file and the field', async () => {
  const m = join(dir, 'fixed.onnx');
  await writeFile(m, meanModel(64, 3));
  await assert.rejects(
    OnnxScorer.load(m, { preset: 'imagenet' }),
    /fixed\.onnx: input size 224 \(from preset imagenet\) but the model's input is fixed at 64/,
  );
  await assert.rejects(
    OnnxScorer.load(m, { preset: 'torchxrayvision', inputSize: 64 }),
    /fixed\.onnx: 1 channel\(s\) \(from preset torchxrayvision < options\) but the model's input has 3/,
  );
  await assert.rejects(OnnxScorer.load(m, { preset: 'imagenett' }), /did you mean "imagenet"/);
  await writeFile(join(dir, 'fixed.preprocess.json'), JSON.stringify({ preset: 'imagenet', center_crop: 2 }));
  await assert.rejects(OnnxScorer.load(m), /fixed\.preprocess\.json: bad preprocessing spec at "center_crop"/);
  await writeFile(join(dir, 'fixed.preprocess.json'), JSON.stringify({ presett: 'imagenet' }));
  await assert.rejects(OnnxScorer.load(m), /fixed\.preprocess\.json: bad preprocessing spec at "\(top\)"/);
});
