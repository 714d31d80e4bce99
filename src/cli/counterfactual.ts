import type { Command } from 'commander';
import { checkChoice } from '../util/index.js';
import type { LoadIssue } from '../data/index.js';
import { openRunWithData, printJson } from './common.js';
import * as opt from './options.js';
import { finishBatch, printSkipped } from './outcome.js';

export function register(program: Command): void {
  program
    .command('counterfactual')
    .description(
      'Counterfactual cover test of a trained model, no retraining: score test images as they are, with label boxes blacked out, and with the same boxes moved away from labels (control); mean |delta p|, flip rate, paired DeLong AUC test',
    )
    .requiredOption('--run <run>', 'training run folder')
    .requiredOption('--data <dir>', 'dataset folder')
    .requiredOption('--boxes <file>', 'label boxes (COCO, YOLO, CSV, Presidio)')
    .option('--split <split>', 'train | valid | test | all', 'test')
    .option('--category <c>', 'cover only this category: laterality | technologist | other')
    .option('--margin <px>', 'pixels added around each box', opt.intArg('--margin'), 2)
    .option('--seed <n>', 'seed for the control boxes', opt.intArg('--seed'), 0)
    .option(
      '--control <mode>',
      "control covers: location (matched to each label's edge distance and anatomy share) | anywhere",
      'location',
    )
    .addOption(opt.threadsOption())
    .option('--allow-outside', opt.ALLOW_OUTSIDE_HELP)
    .addOption(opt.deviceOption('run'))
    .option('--out <file>', 'write the per-image results as JSON')
    .option('--json', 'print the summary as JSON')
    .action(async (o) => {
      const { counterfactual } = await import('../explain/index.js');
      const { writeJsonAtomic } = await import('../util/index.js');
      const { verdictOf } = await import('../audit/index.js');
      const { CONTROL_MODES } = await import('../variants/index.js');
      const control = checkChoice('--control', o.control, CONTROL_MODES);
      const categories = o.category
        ? [checkChoice('--category', o.category, ['laterality', 'technologist', 'other'] as const)]
        : undefined;
      const opened = await openRunWithData(o);
      const { records, boxes } = opened;
      using run = opened.run;
      const skipped: LoadIssue[] = [];
      const r = await counterfactual(run.scorer(), records, boxes, {
        margin: o.margin,
        seed: o.seed,
        categories,
        skipped,
        control,
      });
      const verdict = verdictOf(r, undefined, o.seed);
      printSkipped(skipped);
      for (const k of r.no_room) process.stderr.write(`skipped ${k.path}: ${k.message}\n`);
      finishBatch(r.n, opened.loadSkipped + skipped.length + r.no_room.length);
      if (o.out) await writeJsonAtomic(o.out, { ...r, verdict });
      const { images: _images, ...summary } = r;
      if (o.json) {
        printJson({ ...summary, verdict });
        return;
      }
      const f = (x: number | undefined, d = 3) => (x === undefined ? 'n/a' : x.toFixed(d));
      process.stdout.write(
        `reliance on labels: ${verdict.summary}\n` +
          `${r.n} images with label boxes${r.no_room.length ? ` (${r.no_room.length} skipped: no room for a control box)` : ''}\n` +
          `  covered labels:    mean |dp| ${f(r.covered.mean_abs_delta)}, flips ${(100 * r.covered.flip_rate).toFixed(1)}%\n` +
          `  control (${r.control}): mean |dp| ${f(r.random_cover.mean_abs_delta)}, flips ${(100 * r.random_cover.flip_rate).toFixed(1)}%\n` +
          `  AUC original ${f(r.auc_original)} vs covered ${f(r.auc_covered)} (paired DeLong p = ${r.p === undefined ? 'n/a' : r.p.toPrecision(3)})\n`,
      );
    });
}
