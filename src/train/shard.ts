import type { Rng } from '../util/index.js';

/** Where one process stands in a data-parallel run: rank r of `world` (1: an ordinary run). */
export interface Shard {
  rank: number;
  world: number;
}
export const SINGLE: Shard = { rank: 0, world: 1 };

/**
 * One epoch's batches of training-set indices for one rank. Every rank draws the same seeded order; each
 * global batch of `batch` images is cut into `world` equal micro-batches, one per rank. With several ranks the
 * order is cut to a multiple of `world` first (at most world - 1 images sit out an epoch, different ones each
 * epoch), so every rank takes the same number of steps with micro-batches of equal size, and averaging their
 * gradients weighs every image alike.
 */
export function epochBatches(n: number, batch: number, root: Rng, epoch: number, shard: Shard = SINGLE): number[][] {
  if (batch % shard.world !== 0) {
    throw new Error(
      `the batch size (${batch}) must be a multiple of the number of processes (${shard.world}): ` +
        'each process trains on an equal share of every batch',
    );
  }
  let order = root.fork(`order:${epoch}`).shuffle(Array.from({ length: n }, (_, i) => i));
  if (shard.world > 1) order = order.slice(0, n - (n % shard.world));
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batch) {
    const global = order.slice(i, i + batch);
    const part = global.length / shard.world;
    batches.push(global.slice(shard.rank * part, (shard.rank + 1) * part));
  }
  return batches;
}
