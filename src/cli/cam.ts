import type { Command } from 'commander';
import { join } from 'node:path';
import { checkChoice } from '../util/index.js';
import { CAM_METHODS, CAM_TARGETS } from '../explain/index.js';
import { CAM_BASELINES } from '../explain/index.js';
import { writeJsonAtomic } from '../util/index.js';
import { checkOutputFolder } from '../util/index.js';
import { clearComplete, markComplete } from '../util/index.js';
import type { LoadIssue } from '../data/index.js';
import { openRunWithData, printJson, datasetInputs } from './common.js';
import * as opt from './options.js';
import { finishBatch, printSkipped } from './outcome.js';

export function register(program: Command): void {
  program
    .command('cam')
    .description(
      'Grad-CAM per test image: overlays (PNG) and raw maps (.npy); with --boxes, label attention (share of CAM mass in label boxes) and pointing game, with bootstrap 95% CIs',
    )
    .requiredOption('--run <run>', 'training run folder')
    .requiredOption('--data <dir>', 'dataset folder')
    .requiredOption('--out <dir>', 'folder for overlays, maps and attention.json')
    .option('--boxes <file>', 'label boxes (COCO, YOLO, CSV, Presidio)')
    .option('--split <split>', 'train | valid | test | all', 'test')
    .option(
      '--method <m>',
      'gradcam | gradcam++ | layercam | gradxact (gradient x activation per position; the study uses it at features.denseblock2)',
      'gradcam',
    )
    .option(
      '--baseline <b>',
      'black: activations measured against an empty (black) film, so blank film gets no mass | none: plain Grad-CAM',
      'black',
    )
    .option('--target <t>', "whose evidence: predicted (each image's decision) | abnormal | normal", 'predicted')
    .option(
      '--layer <name>',
      'layer (torchvision name, e.g. features.denseblock4); default: final features after norm5+ReLU',
    )
    .option('--max-files <n>', 'write overlays and maps for at most this many images', opt.intArg('--max-files'))
    .option('--seed <n>', 'bootstrap seed', opt.intArg('--seed'), 0)
    .addOption(opt.threadsOption())
    .option('--allow-outside', opt.ALLOW_OUTSIDE_HELP)
    .addOption(opt.deviceOption('run'))
    .option('--json', 'print the summary as JSON')
    .action(async (o) => {
      const { camRecords } = await import('../explain/index.js');
      const { summariseAttention } = await import('../explain/index.js');
      const method = checkChoice('--method', o.method, Object.keys(CAM_METHODS) as (keyof typeof CAM_METHODS)[]);
      const target = checkChoice('--target', o.target, CAM_TARGETS);
      const baseline = checkChoice('--baseline', o.baseline, CAM_BASELINES);
      await checkOutputFolder(o.out, [
        { what: 'dataset', path: o.data },
        { what: 'training run', path: o.run },
      ]);
      const opened = await openRunWithData(o);
      const { records, boxes } = opened;
      using run = opened.run;
      await checkOutputFolder(o.out, [...datasetInputs(o.data, opened.ds), { what: 'training run', path: o.run }]);
      await clearComplete(o.out);
      const skipped: LoadIssue[] = [];
      const per = await camRecords(run.model, records, boxes, {
        ...run.input,
        method,
        target,
        baseline,
        layer: o.layer,
        outDir: o.out,
        maxFiles: o.maxFiles,
        skipped,
      });
      printSkipped(skipped);
      await writeJsonAtomic(join(o.out, 'attention.json'), per);
      await markComplete(o.out, 'CAM output', { images: per.length, method, target, baseline });
      const summary = o.boxes ? summariseAttention(per, o.seed) : null;
      finishBatch(per.length, opened.loadSkipped + skipped.length);
      if (o.json) {
        printJson({
          images: per.length,
          skipped: opened.loadSkipped + skipped.length,
          method,
          target,
          baseline,
          ...(summary ?? {}),
        });
        return;
      }
      process.stdout.write(`${method} (${target} class) for ${per.length} images -> ${o.out}\n`);
      if (summary) {
        process.stdout.write(
          `label attention ${(100 * summary.label_attention).toFixed(1)}% (95% CI ${(100 * summary.label_attention_ci[0]).toFixed(1)}-${(100 * summary.label_attention_ci[1]).toFixed(1)}%; ` +
            `chance ${(100 * summary.chance).toFixed(1)}%), pointing game ${(100 * summary.pointing_game).toFixed(1)}% over ${summary.n} images with boxes\n`,
        );
      }
    });
}
