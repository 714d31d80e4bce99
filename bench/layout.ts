/**
 * channels_last against NCHW in our engine, alternating in one process so a neighbour's load falls on both:
 * densenet-small at the study's settings (128 px, batch 16, 1 thread) and densenet121 at the engine bench's
 * (128 px, batch 8, 2 threads). Options: --steps N (timed steps, default 8), --rounds N (alternations, default 3).
 * Reports each format's mean img/s and the ratios channels_last / NCHW.
 */
import { loadavg } from 'node:os';
import { measureThroughput, type MemoryFormat } from '../src/engine/index.js';

const CASES = [
  { name: 'small', arch: 'densenet-small', size: 128, batch: 16, threads: 1 },
  { name: 'd121', arch: 'densenet121', size: 128, batch: 8, threads: 2 },
] as const;
const FORMATS: MemoryFormat[] = ['nchw', 'channels_last'];

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 && Number.isInteger(Number(args[i + 1])) ? Number(args[i + 1]) : fallback;
}

export async function bench(args: string[]): Promise<Record<string, number | string>> {
  const steps = option(args, '--steps', 8);
  const rounds = option(args, '--rounds', 3);
  const out: Record<string, number | string> = { layout_load_1min: Number(loadavg()[0].toFixed(2)) };
  for (const c of CASES) {
    const sums = new Map(FORMATS.map((f) => [f, { train: 0, infer: 0 }]));
    for (let r = 0; r < rounds; r++) {
      for (const format of r % 2 === 0 ? FORMATS : [...FORMATS].reverse()) {
        const t = await measureThroughput({ ...c, steps, memoryFormat: format });
        sums.get(format)!.train += t.train_img_s / rounds;
        sums.get(format)!.infer += t.infer_img_s / rounds;
      }
    }
    const [nchw, last] = FORMATS.map((f) => sums.get(f)!);
    Object.assign(out, {
      [`layout_${c.name}_nchw_train_img_s`]: nchw.train,
      [`layout_${c.name}_channels_last_train_img_s`]: last.train,
      [`layout_${c.name}_train_ratio`]: last.train / nchw.train,
      [`layout_${c.name}_nchw_infer_img_s`]: nchw.infer,
      [`layout_${c.name}_channels_last_infer_img_s`]: last.infer,
      [`layout_${c.name}_infer_ratio`]: last.infer / nchw.infer,
    });
  }
  out.layout_load_1min_after = Number(loadavg()[0].toFixed(2));
  return out;
}
