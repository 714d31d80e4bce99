/**
 * Training throughput in the loop (decode, letterbox, augmentation and batching included) against the bare
 * engine's trainStep rate, same arch, size and batch: the loop should stay within 15% of the engine.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../src/synth/index.js';
import { loadDataset } from '../src/data/load.js';
import { train, studySplits } from '../src/train/index.js';
import { measureThroughput } from '../src/engine/index.js';

export async function bench(): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'confound-bench-train-'));
  try {
    await generateDataset(join(dir, 'data'), { studies: 200, size: 256, seed: 5 });
    const ds = await loadDataset(join(dir, 'data'));
    const s = studySplits(ds.records, 0);
    const cfg = { arch: 'densenet-small' as const, size: 128, batch: 16, epochs: 2, seed: 0, threads: 2 };
    const r = await train({ train: s.train, valid: s.valid.slice(0, 16) }, join(dir, 'run'), cfg);
    // Epoch 2 reads from the decoded-input cache, as every epoch after the first does.
    const loop = r.history[1].images_per_s;
    const bare = await measureThroughput({ arch: cfg.arch, size: cfg.size, batch: cfg.batch, steps: 8, threads: 2 });
    return {
      train_loop_img_s: loop,
      train_loop_first_epoch_img_s: r.history[0].images_per_s,
      train_bare_step_img_s: bare.train_img_s,
      train_loop_ratio: loop / bare.train_img_s,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
