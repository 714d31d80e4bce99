import { type Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { maskDataset, VARIANT_MODES, FILL_MODES, type VariantMode, type FillMode } from '../variants/index.js';
import { BOX_FORMATS, type BoxFormat } from '../labels/index.js';
import { DATASET_FORMATS, type DatasetFormat } from '../data/index.js';
import * as opt from './options.js';
import { EXIT, finishBatch, printSkipped } from './outcome.js';

function nonNegative(name: string, integer: boolean) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${name} must be a${integer ? 'n integer' : ' number'} >= 0, got "${v}"`);
    }
    return n;
  };
}

interface MaskOpts {
  data: string;
  boxes: string;
  mode: VariantMode;
  out: string;
  margin: number;
  seed: number;
  fill: FillMode;
  dataFormat?: DatasetFormat;
  boxesFormat?: BoxFormat;
  json?: boolean;
  format: 'like-input' | 'dicom';
  deidentify?: boolean;
  allowOutside?: boolean;
}

export function register(program: Command): void {
  program
    .command('mask')
    .description(
      'Write a copy of a dataset with label boxes covered (cover), everything but the labels removed (labels-only), or same-size black boxes away from the labels (random-cover control)',
    )
    .requiredOption('--data <dir>', 'dataset folder (MURA, GRAZPEDWRI-DX, manifest CSV, or plain folder)')
    .requiredOption('--boxes <path>', 'label boxes: COCO/Presidio JSON, CSV, or a YOLO labels folder')
    .addOption(
      new Option('--mode <mode>', 'which variant to write').choices(VARIANT_MODES as string[]).makeOptionMandatory(),
    )
    .requiredOption('--out <dir>', 'output folder (must not be the dataset folder or inside it)')
    .option('--margin <px>', 'pixels added around each box', nonNegative('--margin', false), 0)
    .option('--seed <n>', 'seed for random-cover placement', nonNegative('--seed', true), 0)
    .addOption(
      new Option('--fill <fill>', 'fill for covered boxes: black, or mean (median of a ring around the box)')
        .choices(FILL_MODES as string[])
        .default('black'),
    )
    .addOption(
      new Option('--data-format <format>', 'dataset layout (default: detect)').choices(DATASET_FORMATS as string[]),
    )
    .addOption(
      new Option('--boxes-format <format>', 'box file format (default: detect)').choices(BOX_FORMATS as string[]),
    )
    .addOption(
      new Option(
        '--format <format>',
        'output files: like-input (DICOM becomes PNG), or dicom (DICOM stays DICOM, ' +
          'uncompressed, new SOP/Series UIDs, BurnedInAnnotation NO after cover, with a Presidio-style JSON sidecar of the boxes)',
      )
        .choices(['like-input', 'dicom'])
        .default('like-input'),
    )
    .option(
      '--deidentify',
      'with --format dicom: also empty the PS3.15 Basic Profile attributes (dcmjs), drop private tags, replace UIDs',
    )
    .option('--allow-outside', opt.ALLOW_OUTSIDE_HELP)
    .option('--json', 'print the summary as one JSON object on stdout')
    .action(async (o: MaskOpts) => {
      if (o.deidentify && o.format !== 'dicom') throw new InvalidArgumentError('--deidentify needs --format dicom');
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { stream: process.stderr, format: 'mask {bar} {value}/{total} {eta_formatted}' },
            cliProgress.Presets.shades_classic,
          )
        : undefined;
      let started = false;
      const s = await maskDataset({
        data: o.data,
        boxes: o.boxes,
        out: o.out,
        mode: o.mode,
        margin: o.margin,
        seed: o.seed,
        fill: o.fill,
        dataFormat: o.dataFormat,
        boxesFormat: o.boxesFormat,
        format: o.format,
        deidentify: o.deidentify,
        allowOutside: o.allowOutside,
        onProgress: (done, total) => {
          if (!bar) return;
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        },
      }).finally(() => bar?.stop());
      printSkipped(s.issues, 'failed');
      if (o.json) process.stdout.write(JSON.stringify(s, null, 2) + '\n');
      else {
        process.stderr.write(
          `${s.mode}: ${s.written} written, ${s.skipped} skipped (already done), ${s.failed} failed, ` +
            `${s.metadataCopied} metadata file(s) copied -> ${s.out}\n`,
        );
        if (s.unmatchedBoxFiles)
          process.stderr.write(`warning: boxes name ${s.unmatchedBoxFiles} image(s) not in the dataset\n`);
      }
      if (s.written + s.skipped === 0 && s.total > 0) process.exitCode = EXIT.fatal;
      else finishBatch(s.written + s.skipped, s.failed);
    });
}
