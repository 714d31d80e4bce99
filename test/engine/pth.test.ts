import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Model, readTorchCheckpoint, readSafetensors } from '../../src/engine/index.js';
import { randomBatch, maxStateDifference, hasTorchvision, PYTHON } from './helpers.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

// Debian's torch writes torchvision's densenet121 (seeded random weights, BN statistics and affine parameters
// drawn away from their defaults) with torch.save(model.state_dict()), in the zip format and in the legacy one
// torchvision's own densenet121-a639ec97.pth uses, then predicts on the gray images given as (x, x, x).
const SCRIPT = `
import json, sys
import numpy as np, torch, torchvision
out, images, n, side = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.manual_seed(7)
net = torchvision.models.densenet121(weights=None, num_classes=1)
with torch.no_grad():
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.2, 0.2); m.running_var.uniform_(0.5, 1.5)
            m.weight.uniform_(0.8, 1.2); m.bias.uniform_(-0.1, 0.1); m.num_batches_tracked.fill_(7)
    net.classifier.bias.fill_(0.3)
torch.save(net.state_dict(), out + '/zip.pth')
torch.save(net.state_dict(), out + '/legacy.pth', _use_new_zipfile_serialization=False)
net.eval()
x = torch.from_numpy(np.fromfile(images, dtype=np.float32).reshape(n, 1, side, side))
with torch.no_grad():
    print(json.dumps(torch.sigmoid(net(x.repeat(1, 3, 1, 1))).flatten().tolist()))
`;

const skip = !hasTorchvision() && `${PYTHON} has no torch/torchvision`;
let dir: string;
let theirs: number[];
const batch = randomBatch('pth', 3, 64);

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'confound-pth-'));
  await writeFile(join(dir, 'x.f32'), batch.images);
  const out = execFileSync(PYTHON, ['-c', SCRIPT, dir, join(dir, 'x.f32'), '3', '64'], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '2' },
  });
  theirs = JSON.parse(out.trim().split('\n').pop()!) as number[];
});
after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a torchvision densenet121 checkpoint saved by PyTorch loads (conv0 summed over RGB) and predicts as PyTorch does', {
  skip,
}, async () => {
  using model = await Model.create({ arch: 'densenet121', seed: 1, threads: 2, weights: join(dir, 'zip.pth') });
  assert.deepEqual(model.pretrainedNotes, ['features.conv0.weight: RGB filters summed into 1 channel']);
  const ours = await model.predict(batch.images, batch.shape);
  theirs.forEach((p, i) => assert.ok(Math.abs(p - ours[i]) < 1e-5, `image ${i}: PyTorch ${p}, ours ${ours[i]}`));
  const state = await model.getState();
  assert.equal(state.find((t) => t.name === 'features.norm0.num_batches_tracked')!.data[0], 7n);
});

test('the legacy format reads to the same tensors; weights convert writes them as safetensors', { skip }, async () => {
  const zip = await readTorchCheckpoint(join(dir, 'zip.pth'));
  const legacy = await readTorchCheckpoint(join(dir, 'legacy.pth'));
  using rgb = await Model.create({ arch: 'densenet121', channels: 3, seed: 1, threads: 2 });
  assert.deepEqual(zip.map((t) => t.name).sort(), (await rgb.getState()).map((t) => t.name).sort());
  assert.equal(maxStateDifference(zip, legacy), 0);
  assert.deepEqual(
    zip.map((t) => t.name),
    legacy.map((t) => t.name),
  );
  const { stdout } = await promisify(execFile)(process.execPath, [
    CLI,
    'weights',
    'convert',
    join(dir, 'legacy.pth'),
    join(dir, 'w.safetensors'),
    '--json',
  ]);
  assert.equal(JSON.parse(stdout).tensors, zip.length);
  const converted = await readSafetensors(join(dir, 'w.safetensors'));
  assert.equal(converted.metadata.kind, 'pretrained');
  assert.equal(maxStateDifference(converted.tensors, zip), 0);
});

test('a pickle that calls anything but tensor rebuilding is refused, naming the global', async () => {
  const d = await mkdtemp(join(tmpdir(), 'confound-pth-bad-'));
  try {
    // protocol 2: GLOBAL 'os system', a string argument, TUPLE1, REDUCE, STOP (what a malicious .pth carries)
    const bytes = Buffer.concat([
      Buffer.from([0x80, 0x02]),
      Buffer.from('cos\nsystem\n'),
      Buffer.from([0x58, 4, 0, 0, 0]),
      Buffer.from('true'),
      Buffer.from([0x85, 0x52, 0x2e]),
    ]);
    await writeFile(join(d, 'bad.pth'), bytes);
    await assert.rejects(readTorchCheckpoint(join(d, 'bad.pth')), {
      message: `${join(d, 'bad.pth')}: the checkpoint calls os.system, which a weights file has no need of (refused)`,
    });
  } finally {
    await rm(d, { recursive: true, force: true });
  }
});
