import type { Command } from 'commander';
import { checkChoice } from '../util/index.js';
import { printJson } from './common.js';
import * as opt from './options.js';

export function register(program: Command): void {
  program
    .command('engine-check')
    .description('Check the libtorch engine: train a few steps on random images and print images per second')
    .option('--arch <arch>', 'densenet121 | densenet-small | densenet-tiny', 'densenet-small')
    .option('--size <px>', 'square input side', opt.intArg('--size', 16), 128)
    .option('--batch <n>', 'images per step', opt.intArg('--batch', 2), 16)
    .option('--steps <n>', 'timed steps (after one warm-up)', opt.intArg('--steps', 1), 5)
    .option('--threads <n>', 'compute threads (default: all cores)', opt.intArg('--threads', 1))
    .addOption(opt.deviceOption('auto'))
    .option('--memory-format <f>', 'auto (channels_last on the CPU) | nchw | channels_last', 'auto')
    .option('--json', 'print the result as JSON')
    .action(async (o) => {
      const { measureThroughput, engineInfo, ARCH_NAMES, MEMORY_FORMATS, resolveDevice } = await import(
        '../engine/index.js'
      );
      const arch = checkChoice('--arch', o.arch, ARCH_NAMES);
      const memoryFormat = checkChoice('--memory-format', o.memoryFormat, MEMORY_FORMATS);
      const device = resolveDevice(o.device);
      const r = await measureThroughput({
        arch,
        size: o.size,
        batch: o.batch,
        steps: o.steps,
        threads: o.threads,
        device,
        memoryFormat,
      });
      const info = await engineInfo();
      const result = { arch, size: o.size, batch: o.batch, steps: o.steps, device, memoryFormat, ...info, ...r };
      if (o.json) {
        printJson(result);
        return;
      }
      process.stdout.write(
        `${arch} ${o.size}x${o.size}x1, batch ${o.batch}, ${info.engine_threads} threads, ${device} (libtorch ${info.libtorch})\n` +
          `train  ${r.train_img_s.toFixed(1)} img/s  (losses ${r.losses.map((l) => l.toFixed(4)).join(' ')})\n` +
          `infer  ${r.infer_img_s.toFixed(1)} img/s\n` +
          `gradcam ${r.gradcam_ms.toFixed(1)} ms per image\n`,
      );
    });
}
