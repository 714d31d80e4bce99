import type { Command } from 'commander';
import { writeJsonAtomic } from '../util/index.js';
import { progress } from '../util/index.js';
import { addCocoDataset, emptyTrainingSet, fitDetector, loadDetectorModel, refitReader } from '../labels/index.js';
import { resolve } from 'node:path';
import { printJson } from './common.js';
import * as opt from './options.js';

export function register(program: Command): void {
  program
    .command('detect-train')
    .description(
      'Fit the label detector (box refiner, verifier/categoriser, L/R reader) on phantom data with true boxes (confound synth output)',
    )
    .requiredOption(
      '--data <dirs...>',
      'one or more folders, each with labels.coco.json (paths relative to the folder)',
    )
    .requiredOption('--out <file>', 'weights JSON to write (the shipped one is models/detector.json)')
    .option(
      '--seed <n>',
      'seed for the network initialisation (ensemble members take seed, seed + 1, ...)',
      opt.intArg('--seed'),
      1,
    )
    .option(
      '--members <k>',
      'ensemble size: networks fitted with consecutive seeds and merged into one that averages their logits',
      opt.intArg('--members', 1),
      5,
    )
    .option(
      '--reader-only <weights>',
      'refit only the marker reader (on the markers of --data and rendered D/I/L/R letters, as a full fit does) ' +
        'and keep the other networks of <weights>; --members is then unused',
    )
    .option('--json', 'print the training summary as JSON')
    .action(async (o) => {
      const base = o.readerOnly ? loadDetectorModel(resolve(o.readerOnly)) : undefined;
      const set = emptyTrainingSet();
      for (const dir of o.data as string[]) {
        let bar: ReturnType<typeof progress> | undefined;
        await addCocoDataset(
          set,
          dir,
          undefined,
          (_done, total) => {
            bar ??= progress(`read ${dir}`.slice(0, 14), total);
            bar.tick();
          },
          Boolean(base),
        );
        bar?.stop();
      }
      if (base) {
        const model = refitReader(base, set, o.seed, {
          command: `confound detect-train --data ${(o.data as string[]).join(' ')} --seed ${o.seed} --reader-only ${o.readerOnly}`,
        });
        await writeJsonAtomic(o.out, model);
        if (o.json) printJson({ out: o.out, ...(model.trained.reader as object) });
        else
          process.stdout.write(
            `reader refitted on ${set.images} images, ${model.trained.glyphs} markers; weights in ${o.out}\n`,
          );
        return;
      }
      const model = fitDetector(
        set,
        o.seed,
        {
          command: `confound detect-train --data ${(o.data as string[]).join(' ')} --seed ${o.seed} --members ${o.members}`,
        },
        o.members,
      );
      await writeJsonAtomic(o.out, model);
      if (o.json) printJson({ out: o.out, ...model.trained });
      else
        process.stdout.write(
          `trained on ${model.trained.images} images, ${model.trained.truths} labels ` +
            `(candidate recall ${(100 * Number(model.trained.candidate_recall)).toFixed(1)}%); weights in ${o.out}\n`,
        );
    });
}
