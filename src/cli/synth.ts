import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { generateDataset, DEFAULT_OPTIONS } from '../synth/index.js';
import { checkChoice } from '../util/index.js';
import {
  CONFOUND_ON,
  MARKER_STYLE_SETS,
  SYNTH_FORMATS,
  type ConfoundOn,
  type MarkerStyleSet,
  type SynthFormat,
} from '../synth/index.js';

const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n))
    throw new Error(`--${name}: expected a number but received ${JSON.stringify(v)}`);
  return n;
};

export function register(program: Command): void {
  const d = DEFAULT_OPTIONS;
  program
    .command('synth')
    .description(
      'Generate a synthetic, confounded radiograph dataset in MURA-v1.1 layout with label boxes (COCO) and a truth table',
    )
    .requiredOption('--out <dir>', 'dataset folder to write (new, empty, or a previous synth output)')
    .option('--studies <n>', 'number of studies (1-4 images each)', num('studies'), d.studies)
    .option('--size <px>', 'image side in pixels', num('size'), d.size)
    .option('--seed <s>', 'random seed (same seed => byte-identical dataset)', num('seed'), d.seed)
    .option(
      '--confound <k>',
      'how strongly labels predict the outcome on train/valid, 0..1',
      num('confound'),
      d.confound,
    )
    .option(
      '--test-confound <k>',
      'the same on test (weaker by default: a site/time shift)',
      num('test-confound'),
      d.testConfound,
    )
    .option('--confound-on <which>', `label category that carries the confound: ${CONFOUND_ON.join('|')}`, d.confoundOn)
    .option('--difficulty <d>', 'subtlety of findings, 0 (obvious) .. 1 (very subtle)', num('difficulty'), d.difficulty)
    .option('--bits <b>', 'PNG bit depth, 8 or 16', num('bits'), d.bits)
    .option(
      '--marker-styles <set>',
      `marker drawing set: ${MARKER_STYLE_SETS.join('|')} (extended adds bold markers and faint holders, for detector training; the default phantom is standard)`,
    )
    .option(
      '--format <f>',
      `image files: ${SYNTH_FORMATS.join('|')} (dicom: DX files with PatientID, StudyInstanceUID, BurnedInAnnotation, ImageLaterality)`,
    )
    .option('--no-labels', 'burn no labels in (label-free images, e.g. for pretraining)')
    .option('--json', 'print a JSON summary on stdout')
    .action(
      async (o: {
        out: string;
        studies: number;
        size: number;
        seed: number;
        confound: number;
        testConfound: number;
        confoundOn: string;
        difficulty: number;
        bits: number;
        labels: boolean;
        markerStyles?: string;
        format?: string;
        json?: boolean;
      }) => {
        const confoundOn = checkChoice('--confound-on', o.confoundOn, CONFOUND_ON) as ConfoundOn;
        const format =
          o.format === undefined ? undefined : (checkChoice('--format', o.format, SYNTH_FORMATS) as SynthFormat);
        const markerStyles =
          o.markerStyles === undefined
            ? undefined
            : (checkChoice('--marker-styles', o.markerStyles, MARKER_STYLE_SETS) as MarkerStyleSet);
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: 'synth {bar} {value}/{total} images', clearOnComplete: true },
              cliProgress.Presets.shades_classic,
            )
          : null;
        let started = false;
        const summary = await generateDataset(
          o.out,
          {
            studies: o.studies,
            size: o.size,
            seed: o.seed,
            confound: o.confound,
            testConfound: o.testConfound,
            confoundOn,
            difficulty: o.difficulty,
            bits: o.bits as 8 | 16,
            ...(o.labels ? {} : { labels: false }),
            ...(markerStyles ? { markerStyles } : {}),
            ...(format ? { format } : {}),
          },
          (done, total) => {
            if (!bar) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        ).catch((err: Error) => {
          bar?.stop();
          throw new Error(`synth --out ${o.out}: ${err.message}`);
        });
        bar?.stop();
        if (o.json) {
          process.stdout.write(JSON.stringify(summary) + '\n');
          return;
        }
        const s = summary.splits;
        process.stderr.write(
          `wrote ${summary.images} images (${summary.studies} studies, ${summary.patients} patients, ${summary.labels} labels) to ${summary.out}\n` +
            `  train ${s.train.images} / valid ${s.valid.images} / test ${s.test.images} images; abnormal share ${s.train.prevalence} / ${s.valid.prevalence} / ${s.test.prevalence}\n` +
            `  ideal labels-only AUC: test ${summary.labels_only_auc}, train ${summary.labels_only_auc_train}\n`,
        );
      },
    );
}
