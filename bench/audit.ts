import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OnnxScorer } from '../src/audit/onnx-scorer.js';
import { convModel } from '../src/audit/toy-models.js';
import { writeGrayPng } from '../src/data/image.js';
import type { ImageRecord } from '../src/data/types.js';
import { counterfactual } from '../src/explain/counterfactual.js';
import type { LabelBox } from '../src/labels/types.js';
import { Rng } from '../src/util/rng.js';

const IMAGES = 32;
const SIDE = 512;

/**
 * Throughput of the audit's counterfactual pass (read, cover, random-cover, preprocess, 3 inferences per image)
 * with a small 3-channel conv ONNX model at 224 x 224 on 2 threads, and of bare inference for comparison.
 */
export async function bench(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'confound-bench-audit-'));
  try {
    const rng = new Rng('bench-audit');
    const records: ImageRecord[] = [];
    const boxes = new Map<string, LabelBox[]>();
    for (let i = 0; i < IMAGES; i++) {
      const data = Float32Array.from({ length: SIDE * SIDE }, () => rng.next());
      const id = `img${i}.png`;
      await writeGrayPng(join(dir, id), { width: SIDE, height: SIDE, data, bits: 8 });
      records.push({ id, path: join(dir, id), patient: id, study: id, label: (i % 2) as 0 | 1 });
      boxes.set(id, [{ file: id, x: 20, y: 20, w: 40, h: 40, category: 'laterality' }]);
    }
    const model = join(dir, 'conv.onnx');
    await writeFile(model, convModel(224, 3));
    const scorer = await OnnxScorer.load(model, {
      threads: 2,
      batchSize: 8,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
    });
    await counterfactual(scorer, records.slice(0, 8), boxes); // warm-up
    const times: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      await counterfactual(scorer, records, boxes);
      times.push(performance.now() - t0);
    }
    const best = Math.min(...times) / 1000;
    // The old control, placed anywhere away from the labels: the location-matched one's extra cost.
    const t2 = performance.now();
    await counterfactual(scorer, records, boxes, { control: 'anywhere' });
    const anywhere = (performance.now() - t2) / 1000;
    const batch = new Float32Array(8 * 3 * 224 * 224).fill(0.1);
    const t1 = performance.now();
    for (let k = 0; k < 8; k++) await scorer.score(batch, 8);
    const infer = (performance.now() - t1) / 1000;
    await scorer.close();
    return {
      'audit.counterfactual_images_per_s': IMAGES / best,
      'audit.counterfactual_images_per_s_control_anywhere': IMAGES / anywhere,
      'audit.counterfactual_inferences_per_s': (3 * IMAGES) / best,
      'audit.bare_inferences_per_s': 64 / infer,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
