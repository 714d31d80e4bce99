/**
 * Data-parallel training on this machine: one process (all cores) against `train --nproc 2` (half the cores
 * each, gradients averaged over Gloo), same data, arch, size and global batch. Figures from epoch 2, when the
 * decoded inputs are cached.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateDataset } from '../src/synth/index.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export async function bench(): Promise<Record<string, number | string>> {
  const dir = await mkdtemp(join(tmpdir(), 'confound-bench-dist-'));
  try {
    await generateDataset(join(dir, 'data'), { studies: 120, size: 256, seed: 6 });
    const cores = availableParallelism();
    const run = async (nproc: number) => {
      const args = [
        CLI,
        'train',
        '--data',
        join(dir, 'data'),
        '--out',
        join(dir, `run${nproc}`),
        '--profile',
        'quick',
        '--arch',
        'densenet-small',
        '--size',
        '128',
        '--epochs',
        '2',
        '--batch',
        '16',
        '--weights',
        'none',
        '--device',
        'cpu',
        '--json',
        ...(nproc > 1 ? ['--nproc', String(nproc)] : ['--threads', String(cores)]),
      ];
      const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 16 << 20 });
      return (JSON.parse(stdout) as { epochs: { images_per_s: number }[] }).epochs[1].images_per_s;
    };
    const one = await run(1);
    const two = await run(2);
    return { dist_cores: cores, dist_1proc_img_s: one, dist_2proc_img_s: two, dist_2proc_speedup: two / one };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
