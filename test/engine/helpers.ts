import { execFileSync } from 'node:child_process';
import { Rng } from '../../src/util/rng.js';
import type { NamedTensor } from '../../src/engine/index.js';

export interface Batch {
  images: Float32Array;
  targets: Float32Array;
  shape: { n: number; height: number; width: number };
}

/** Seeded images ~ N(0, 1) and alternating 0/1 targets. */
export function randomBatch(seed: string, n: number, side: number, channels = 1): Batch {
  const rng = new Rng(seed);
  const images = Float32Array.from({ length: n * channels * side * side }, () => rng.normal());
  const targets = Float32Array.from({ length: n }, (_, i) => i % 2);
  return { images, targets, shape: { n, height: side, width: side } };
}

export function byName(state: readonly NamedTensor[]): Map<string, NamedTensor> {
  return new Map(state.map((t) => [t.name, t]));
}

/** Largest |a - b| over two states with the same names; throws when names differ. */
export function maxStateDifference(a: readonly NamedTensor[], b: readonly NamedTensor[]): number {
  const mb = byName(b);
  if (a.length !== b.length) throw new Error(`states have ${a.length} and ${b.length} tensors`);
  let max = 0;
  for (const t of a) {
    const u = mb.get(t.name);
    if (!u) throw new Error(`second state lacks ${t.name}`);
    for (let i = 0; i < t.data.length; i++) max = Math.max(max, Math.abs(Number(t.data[i]) - Number(u.data[i])));
  }
  return max;
}

/** Debian's python3 with torch and torchvision, which the reference tests compare against. */
export const PYTHON = '/usr/bin/python3';

export function hasTorchvision(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch, torchvision, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
