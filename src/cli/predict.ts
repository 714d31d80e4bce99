import type { Command } from 'commander';
import { scoreRecords, writeScores, checkTrainedRun, applySplitFile } from '../train/index.js';
import { checkChoice } from '../util/index.js';
import { checkOutputFile } from '../util/index.js';
import type { LoadIssue } from '../data/index.js';
import { loadDatasetReported, datasetInputs } from './common.js';
import * as opt from './options.js';
import { finishBatch, printSkipped } from './outcome.js';
import { INFERENCE_BACKENDS } from '../infer/index.js';

export function register(program: Command): void {
  program
    .command('predict')
    .description(
      'Score images with a trained run: CSV id,path,patient,study,label,score (score = probability abnormal)',
    )
    .requiredOption('--run <run>', 'training run folder')
    .requiredOption('--data <dir>', 'dataset folder')
    .requiredOption('--out <csv>', 'scores CSV to write')
    .option('--split <split>', "train | valid | test | all (test = the run's held-out patients)", 'test')
    .addOption(opt.threadsOption())
    .option('--allow-outside', opt.ALLOW_OUTSIDE_HELP)
    .addOption(opt.deviceOption('run'))
    .option(
      '--inference <backend>',
      'engine (libtorch) | onnx (onnxruntime on the model exported to ONNX; CPU)',
      'engine',
    )
    .action(async (o) => {
      const split = checkChoice('--split', o.split, ['train', 'valid', 'test', 'all'] as const);
      await checkTrainedRun(o.run);
      await checkOutputFile(o.out, [{ what: 'dataset', path: o.data }]);
      const ds = await loadDatasetReported(o.data, o);
      await checkOutputFile(o.out, datasetInputs(o.data, ds));
      const records = split === 'all' ? ds.records : (await applySplitFile(o.run, ds.records, '--run'))[split];
      const skipped: LoadIssue[] = [];
      const rows = await scoreRecords(
        o.run,
        records,
        o.threads,
        skipped,
        o.device,
        checkChoice('--inference', o.inference, INFERENCE_BACKENDS),
      );
      printSkipped(skipped);
      await writeScores(o.out, rows);
      process.stdout.write(`scored ${rows.length} ${split} images -> ${o.out}\n`);
      finishBatch(rows.length, ds.issues.length + skipped.length);
    });
}
