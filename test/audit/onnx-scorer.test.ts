import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxScorer } from '../../src/audit/onnx-scorer.js';
import { OnnxGraph } from '../../src/infer/index.js';
import { regionModel } from '../../src/audit/toy-models.js';
import type { GrayImage } from '../../src/data/image.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-audit-scorer-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function save(name: string, bytes: Uint8Array): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, bytes);
  return p;
}

const flat = (v: number, size = 64): GrayImage => ({
  width: size,
  height: size,
  data: new Float32Array(size * size).fill(v),
  bits: 8,
});
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

test('input size and channels come from the model; scores match the model formula', async () => {
  const path = await save(
    'region3.onnx',
    regionModel({ x: 0, y: 0, w: 32, h: 32 }, { channels: 3, scale: 4, bias: -2 }).onnx,
  );
  const s = await OnnxScorer.load(path);
  assert.equal(s.preprocess.size, 64);
  assert.equal(s.preprocess.channels, 3);
  const batch = new Float32Array(2 * 3 * 64 * 64);
  batch.set(s.prepare(flat(0.25)), 0);
  batch.set(s.prepare(flat(0.75)), 3 * 64 * 64);
  const p = await s.score(batch, 2);
  assert.ok(Math.abs(p[0] - sigmoid(4 * 0.25 - 2)) < 1e-6 && Math.abs(p[1] - sigmoid(4 * 0.75 - 2)) < 1e-6);
  assert.equal(s.info().activation, 'none', 'a Sigmoid output is read as probabilities');
  await assert.rejects(
    OnnxScorer.load(path, { inputSize: 128 }),
    /region3\.onnx: input size 128 \(from options\) but the model's input is fixed at 64/,
  );
  await assert.rejects(
    OnnxScorer.load(path, { channels: 1 }),
    /region3\.onnx: 1 channel\(s\) \(from options\) but the model's input has 3/,
  );
  await s.close();
});

test('logits: auto applies a sigmoid; a two-class softmax equals the sigmoid of the difference', async () => {
  const path = await save(
    'logit.onnx',
    regionModel({ x: 0, y: 0, w: 64, h: 64 }, { scale: 6, bias: -1, logits: true }).onnx,
  );
  const s = await OnnxScorer.load(path);
  const p = await s.score(s.prepare(flat(0.9)), 1);
  assert.ok(Math.abs(p[0] - sigmoid(6 * 0.9 - 1)) < 1e-6);
  assert.match(s.info().activation_reason, /outside \[0, 1\]/);
  // Two logits [0, z]: softmax at index 1 = sigmoid(z).
  const g = new OnnxGraph().input('x', ['N', 1, 8, 8]).output('logits', ['N', 2]);
  g.int64('axes', [3], [1, 2, 3]);
  g.node('ReduceSum', ['x', 'axes'], ['sum'], { keepdims: { i: 0 } });
  g.int64('shape', [2], [-1, 1]);
  g.node('Reshape', ['sum', 'shape'], ['z']);
  g.node('Sub', ['z', 'z'], ['zero']);
  g.node('Concat', ['zero', 'z'], ['logits'], { axis: { i: 1 } });
  const two = await OnnxScorer.load(await save('two.onnx', g.encode()), { activation: 'softmax' });
  const q = await two.score(two.prepare(flat(0.02, 8)), 1);
  assert.ok(Math.abs(q[0] - sigmoid(64 * 0.02)) < 1e-5, String(q[0]));
  await assert.rejects(
    OnnxScorer.load(await save('two2.onnx', g.encode()), { outputIndex: 2 }),
    /two2\.onnx: --output-index 2 but output "logits" has 2 values/,
  );
  await s.close();
  await two.close();
});

test('a model with a fixed batch of 1 is fed one image at a time', async () => {
  const g = new OnnxGraph().input('x', [1, 1, 16, 16]).output('p', [1, 1]);
  g.node('ReduceMean', ['x'], ['m'], { axes: { ints: [2, 3] }, keepdims: { i: 0 } });
  g.node('Sigmoid', ['m'], ['p']);
  const s = await OnnxScorer.load(await save('fixed1.onnx', g.encode()), { batchSize: 8 });
  assert.equal(s.batchSize, 1);
  assert.ok(Math.abs((await s.score(s.prepare(flat(0.5, 16)), 1))[0] - sigmoid(0.5)) < 1e-6);
  await s.close();
});

test('bad models give errors naming the file and the problem', async () => {
  await assert.rejects(OnnxScorer.load(join(dir, 'nope.onnx')), /nope\.onnx: no such model file/);
  await assert.rejects(
    OnnxScorer.load(await save('junk.onnx', Buffer.from('this is not a model'))),
    /junk\.onnx: not a loadable ONNX model/,
  );

  const rank2 = new OnnxGraph().input('x', ['N', 64]).output('p', ['N', 1]);
  rank2.node('ReduceMean', ['x'], ['m'], { axes: { ints: [1] }, keepdims: { i: 1 } });
  rank2.node('Sigmoid', ['m'], ['p']);
  await assert.rejects(
    OnnxScorer.load(await save('rank2.onnx', rank2.encode())),
    /rank2\.onnx: input "x" has rank 2 \[N, 64\]; an image input \[N, C, H, W\] \(rank 4\) is needed/,
  );

  const str = new OnnxGraph().input('x', ['N', 1, 8, 8]).output('label', ['N', 1], 'string');
  str.node('ReduceMean', ['x'], ['m'], { axes: { ints: [1, 2, 3] }, keepdims: { i: 0 } });
  str.int64('shape', [2], [-1, 1]);
  str.node('Reshape', ['m', 'shape'], ['m2']);
  str.node('Cast', ['m2'], ['label'], { to: { i: 8 } });
  await assert.rejects(
    OnnxScorer.load(await save('string-out.onnx', str.encode())),
    /string-out\.onnx: output "label" is a string tensor; a float tensor of scores is needed/,
  );

  const dyn = new OnnxGraph().input('x', ['N', 'C', 'H', 'W']).output('p', ['N', 1]);
  dyn.node('ReduceMean', ['x'], ['p'], { axes: { ints: [2, 3] }, keepdims: { i: 0 } });
  const dynPath = await save('dynamic.onnx', dyn.encode());
  await assert.rejects(
    OnnxScorer.load(dynPath),
    /dynamic\.onnx: the model's input size is not fixed .*give --input-size/,
  );
  await assert.rejects(
    OnnxScorer.load(dynPath, { inputSize: 32 }),
    /dynamic\.onnx: the model's channel count is not fixed/,
  );
  const ok = await OnnxScorer.load(dynPath, { inputSize: 32, channels: 1 });
  assert.equal(ok.preprocess.size, 32);
  await ok.close();
});
