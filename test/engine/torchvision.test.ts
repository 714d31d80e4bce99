import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Model } from '../../src/engine/index.js';
import { randomBatch, hasTorchvision, PYTHON } from './helpers.js';

// Reads our safetensors with a reader written from the format description (numpy, no safetensors package),
// loads it into torchvision's densenet121 with a 1-channel conv0 under strict load_state_dict, and predicts.
const SCRIPT = `
import json, struct, sys
import numpy as np, torch, torchvision
weights, images, n, side = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
raw = open(weights, 'rb').read()
(length,) = struct.unpack('<Q', raw[:8])
header = json.loads(raw[8:8 + length])
meta = header.pop('__metadata__')
data = raw[8 + length:]
types = {'F32': np.float32, 'I64': np.int64}
state = {k: torch.from_numpy(np.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]], dtype=types[v['dtype']]).reshape(v['shape']).copy())
         for k, v in header.items()}
net = torchvision.models.densenet121(weights=None, num_classes=1)
net.features.conv0 = torch.nn.Conv2d(int(meta['channels']), 64, 7, 2, 3, bias=False)
net.load_state_dict(state, strict=True)
net.eval()
x = torch.from_numpy(np.fromfile(images, dtype=np.float32).reshape(n, 1, side, side))
with torch.no_grad():
    print(json.dumps(torch.sigmoid(net(x)).flatten().tolist()))
`;

test('torchvision densenet121 loads our weights with strict load_state_dict and predicts the same', {
  skip: !hasTorchvision() && `${PYTHON} has no torch/torchvision`,
}, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-torchvision-'));
  try {
    using model = await Model.create({ arch: 'densenet121', seed: 5, threads: 2, learningRate: 1e-3 });
    const batch = randomBatch('tv', 4, 64);
    await model.trainStep(batch.images, batch.targets, undefined, batch.shape); // BN running stats away from 0/1
    await model.save(join(dir, 'w.safetensors'));
    const { images, shape } = randomBatch('tv-predict', 3, 64);
    await writeFile(join(dir, 'x.f32'), images);
    const out = execFileSync(PYTHON, ['-c', SCRIPT, join(dir, 'w.safetensors'), join(dir, 'x.f32'), '3', '64'], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '2' },
    });
    const theirs = JSON.parse(out.trim().split('\n').pop()!) as number[];
    const ours = await model.predict(images, shape);
    assert.equal(theirs.length, 3);
    theirs.forEach((p, i) => assert.ok(Math.abs(p - ours[i]) < 1e-5, `image ${i}: torchvision ${p}, ours ${ours[i]}`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
