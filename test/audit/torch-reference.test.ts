import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stretch } from '../../src/audit/preprocess.js';
import { OnnxScorer } from '../../src/audit/onnx-scorer.js';
import type { GrayImage } from '../../src/data/image.js';

// Made by scripts/make-onnx-fixtures.py with PyTorch 1.13 (torch.onnx.export, F.interpolate antialias=True).
const DIR = join(process.cwd(), 'test/fixtures/onnx');

interface Case {
  width: number;
  height: number;
  k: number;
  resized: number[];
  softmax1: number;
}

function image(w: number, h: number, k: number): GrayImage {
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = ((x * 7 + y * 13 + k) % 17) / 16;
  return { width: w, height: h, data, bits: 8 };
}

test('stretch matches torch bilinear antialiased resize (torchvision Resize) when shrinking and enlarging', async () => {
  const ref = JSON.parse(await readFile(join(DIR, 'torch-reference.json'), 'utf8')) as { size: number; cases: Case[] };
  for (const c of ref.cases) {
    const ours = stretch(image(c.width, c.height, c.k), ref.size);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - c.resized[i]));
    assert.ok(worst < 1e-5, `${c.width}x${c.height}: max difference ${worst}`);
  }
});

test('a PyTorch-exported model audited through ONNX gives the probabilities PyTorch gave', async () => {
  const ref = JSON.parse(await readFile(join(DIR, 'torch-reference.json'), 'utf8')) as {
    size: number;
    mean: number[];
    std: number[];
    cases: Case[];
  };
  const scorer = await OnnxScorer.load(join(DIR, 'torch-tiny.onnx'), {
    inputSize: ref.size,
    mean: ref.mean,
    std: ref.std,
    activation: 'softmax',
  });
  assert.equal(scorer.preprocess.channels, 3, 'channels read from the exported model');
  for (const c of ref.cases) {
    const p = await scorer.score(scorer.prepare(image(c.width, c.height, c.k)), 1);
    assert.ok(Math.abs(p[0] - c.softmax1) < 1e-5, `${c.width}x${c.height}: ${p[0]} vs torch ${c.softmax1}`);
  }
  await scorer.close();
});
