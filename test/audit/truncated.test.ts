import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../../src/audit/run-audit.js';
import { regionModel } from '../../src/audit/toy-models.js';
import { makeAuditData, LABEL_BOX } from './helpers.js';

test('an image whose PNG body is cut short is skipped by the audit (cover test, occlusion, CAM), not fatal (defect 4)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-audit-cut-'));
  try {
    const data = await makeAuditData(join(dir, 'data'), 8);
    const first = join(dir, 'data', (await readFile(data.manifest, 'utf8')).split('\n')[1].split(',')[0]);
    const bytes = await readFile(first);
    await writeFile(first, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const model = join(dir, 'm.onnx'),
      weights = join(dir, 'w.json');
    const cam = regionModel(LABEL_BOX, { scale: 8, bias: -6, camPool: 4 });
    await writeFile(model, cam.onnx);
    await writeFile(weights, JSON.stringify({ weights: cam.camWeights }));
    const s = await runAudit({
      model,
      data: data.manifest,
      boxes: { file: data.boxes },
      out: join(dir, 'audit'),
      occlusionImages: 8,
      occlusion: { window: 4, stride: 4 },
      cam: { output: 'features', weights },
    });
    assert.equal(s.counterfactual.n, 7);
    assert.equal(s.occlusion?.images.length, 7);
    assert.equal(s.cam?.images.length, 7);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
