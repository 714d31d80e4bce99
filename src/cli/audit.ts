import { Option, type Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { printJson } from './common.js';
import * as opt from './options.js';
import { finishBatch, printSkipped } from './outcome.js';
import { gate } from '../audit/index.js';

function numberList(name: string) {
  return (v: string): number[] => {
    const xs = v.split(',').map((s) => Number(s.trim()));
    if (xs.length === 0 || xs.length > 3 || xs.some((x) => !Number.isFinite(x)))
      throw new InvalidArgumentError(`${name} must be a number or a comma list of 3 (one per channel), got "${v}"`);
    return xs;
  };
}

function rangeArg(xs: number[]): [number, number] {
  if (xs.length !== 2 || xs[0] === xs[1])
    throw new InvalidArgumentError(`--range must be two different numbers lo,hi, got "${xs.join(',')}"`);
  return [xs[0], xs[1]];
}

interface AuditCliOptions {
  model: string;
  data: string;
  out: string;
  boxes?: string;
  detect?: boolean;
  detector?: string;
  dataFormat?: 'mura' | 'grazpedwri' | 'manifest' | 'folder';
  boxesFormat?: 'coco' | 'yolo' | 'csv' | 'presidio';
  split?: 'train' | 'valid' | 'test';
  category?: 'laterality' | 'technologist' | 'other';
  inputSize?: number;
  channels?: string;
  mean?: number[];
  std?: number[];
  resize?: 'stretch' | 'letterbox';
  preset?: string;
  centerCrop?: number | true;
  range?: number[];
  output?: string;
  outputIndex?: number;
  sigmoid?: boolean;
  softmax?: boolean;
  probabilities?: boolean;
  margin: number;
  seed: number;
  batch: number;
  threads?: number;
  occlusionImages: number;
  occlusionWindow?: number;
  occlusionStride?: number;
  camOutput?: string;
  camWeights?: string;
  camLayer?: string;
  json?: boolean;
  allowOutside?: boolean;
  device: 'cpu' | 'cuda';
  control: 'location' | 'anywhere';
  failOn?: 'weak' | 'strong';
}

export function register(program: Command): void {
  program
    .command('audit')
    .description(
      'Audit your own classifier (ONNX, or TorchScript through libtorch) for reliance on burned-in labels: counterfactual cover test against location-matched control covers, occlusion (input x gradient for TorchScript, optional CAM for ONNX) label attention, and a none/weak/strong verdict; writes audit.json and report.html',
    )
    .requiredOption(
      '--model <file>',
      'ONNX model (one float input [N, C, S, S], C = 1 or 3; one score output [N] or [N, K]) or TorchScript (.pt/.pth/.ts: torch.jit.script or trace, saved; give --input-size and --channels or a --preset)',
    )
    .addOption(
      new Option('--device <device>', 'TorchScript models: run on cpu or cuda').choices(['cpu', 'cuda']).default('cpu'),
    )
    .requiredOption('--data <dir>', 'dataset folder (MURA, GRAZPEDWRI-DX, manifest CSV, or plain folder)')
    .requiredOption('--out <dir>', 'audit folder for audit.json, report.html and overlays/')
    .option('--boxes <path>', 'label boxes: COCO/Presidio JSON, CSV, or a YOLO labels folder')
    .option('--detect', 'find label boxes with the label detector instead of --boxes')
    .option('--detector <file>', 'detector weights for --detect (default: models/detector.json)')
    .addOption(
      new Option('--data-format <format>', 'dataset layout (default: detect)').choices([
        'mura',
        'grazpedwri',
        'manifest',
        'folder',
      ]),
    )
    .addOption(
      new Option('--boxes-format <format>', 'box file format (default: detect)').choices([
        'coco',
        'yolo',
        'csv',
        'presidio',
      ]),
    )
    .addOption(
      new Option('--split <split>', 'audit only this split (default: every image)').choices(['train', 'valid', 'test']),
    )
    .addOption(
      new Option('--category <c>', 'cover only labels of this category').choices([
        'laterality',
        'technologist',
        'other',
      ]),
    )
    .option(
      '--input-size <px>',
      'input side S (needed only when the model does not fix it)',
      opt.intArg('--input-size', 1),
    )
    .addOption(
      new Option(
        '--channels <n>',
        'input channels (needed only when the model does not fix them); gray is copied to all 3',
      ).choices(['1', '3']),
    )
    .option('--mean <m>', 'normalisation mean on the [0,1] scale: one value or r,g,b', numberList('--mean'))
    .option('--std <s>', 'normalisation std: one value or r,g,b', numberList('--std'))
    .addOption(
      new Option(
        '--resize <mode>',
        'stretch = torchvision Resize((S,S)) (default); letterbox = keep aspect, pad with 0',
      ).choices(['stretch', 'letterbox']),
    )
    .addOption(
      new Option(
        '--preset <name>',
        'preprocessing of a model family: size, crop, channels, scaling, mean/std, output activation (a sidecar M.onnx.json or the ONNX metadata_props can state them too; explicit options win)',
      ).choices(['imagenet', 'torchxrayvision', 'mura-densenet', 'none']),
    )
    .option(
      '--center-crop [fraction]',
      'crop the central square (this fraction of the shorter side, default 1) before resizing',
      opt.numArg('--center-crop', 0, 1),
    )
    .option(
      '--range <lo,hi>',
      'map the [0, 1] grayscale onto [lo, hi] before mean/std (torchxrayvision: -1024,1024)',
      numberList('--range'),
    )
    .option('--output <name>', 'which model output holds the scores (default: the first)')
    .option(
      '--output-index <i>',
      'which element of the output vector is the score (default: the last)',
      opt.intArg('--output-index', 0),
    )
    .addOption(new Option('--sigmoid', 'outputs are logits: apply a sigmoid').conflicts(['softmax', 'probabilities']))
    .addOption(
      new Option('--softmax', 'outputs are logits of classes: apply a softmax over the vector').conflicts([
        'sigmoid',
        'probabilities',
      ]),
    )
    .addOption(
      new Option('--probabilities', 'outputs are probabilities already: use as they are').conflicts([
        'sigmoid',
        'softmax',
      ]),
    )
    .addOption(
      new Option(
        '--control <mode>',
        "where the control covers go: location = matched to each label's edge distance and share over the anatomy; anywhere = anywhere away from the labels",
      )
        .choices(['location', 'anywhere'])
        .default('location'),
    )
    .addOption(
      new Option(
        '--fail-on <level>',
        'exit with code 3 when the verdict reaches this level (weak: weak or strong)',
      ).choices(['weak', 'strong']),
    )
    .option('--margin <px>', 'pixels added around each covered box', opt.numArg('--margin', 0), 2)
    .option('--seed <n>', 'seed for the control boxes, image sampling and bootstrap', opt.intArg('--seed'), 0)
    .option('--batch <n>', 'images per inference call', opt.intArg('--batch', 1), 8)
    .option('--threads <n>', 'onnxruntime threads (default: its choice)', opt.intArg('--threads', 1))
    .option(
      '--occlusion-images <n>',
      'images with occlusion maps (0 skips the occlusion analysis)',
      opt.intArg('--occlusion-images'),
      16,
    )
    .option(
      '--occlusion-window <px>',
      'occlusion window side in input pixels (default S/8)',
      opt.intArg('--occlusion-window', 1),
    )
    .option('--occlusion-stride <px>', 'occlusion step (default window/2)', opt.intArg('--occlusion-stride', 1))
    .option('--cam-output <name>', 'model output holding the final feature map [N, K, h, w], for CAM')
    .option('--cam-weights <file>', 'classifier weights for CAM: JSON list ([K] or [classes][K]) or .npy')
    .option('--cam-layer <name>', 'TorchScript models: Grad-CAM at this submodule (dotted name, e.g. features)')
    .option('--allow-outside', opt.ALLOW_OUTSIDE_HELP)
    .option('--json', 'print the audit summary as one JSON object (with a "reliance" key) on stdout')
    .action(async (o: AuditCliOptions) => {
      if (!o.boxes && !o.detect) throw new Error('audit: give --boxes FILE or --detect');
      if (o.boxes && o.detect) throw new Error('audit: give either --boxes or --detect, not both');
      if (!!o.camOutput !== !!o.camWeights) throw new Error('audit: CAM needs both --cam-output and --cam-weights');
      const { runAudit } = await import('../audit/index.js');
      const s = await runAudit({
        model: o.model,
        data: o.data,
        out: o.out,
        allowOutside: o.allowOutside,
        dataFormat: o.dataFormat,
        split: o.split,
        boxes: { file: o.boxes, format: o.boxesFormat, detectorModel: o.detector },
        scorer: {
          inputSize: o.inputSize,
          channels: o.channels ? (Number(o.channels) as 1 | 3) : undefined,
          mean: o.mean,
          std: o.std,
          resize: o.resize,
          preset: o.preset,
          centerCrop: o.centerCrop === true ? 1 : o.centerCrop,
          range: o.range ? rangeArg(o.range) : undefined,
          output: o.output,
          outputIndex: o.outputIndex,
          batchSize: o.batch,
          threads: o.threads,
          activation: o.sigmoid ? 'sigmoid' : o.softmax ? 'softmax' : o.probabilities ? 'none' : undefined,
        },
        margin: o.margin,
        seed: o.seed,
        categories: o.category ? [o.category] : undefined,
        control: o.control,
        device: o.device,
        occlusionImages: o.occlusionImages,
        occlusion: { window: o.occlusionWindow, stride: o.occlusionStride },
        cam: o.camOutput && o.camWeights ? { output: o.camOutput, weights: o.camWeights } : undefined,
        camLayer: o.camLayer,
      });
      printSkipped(s.data.skipped);
      for (const k of s.counterfactual.no_room) process.stderr.write(`skipped ${k.path}: ${k.message}\n`);
      finishBatch(s.data.records, s.data.skipped.length + s.data.detect_failed + s.counterfactual.no_room.length);
      const verdict = gate(s.verdict, o.failOn);
      if (verdict.code !== 0) process.exitCode = verdict.code;
      if (o.json) {
        const { occlusion, cam, gradient, gradcam, data, ...rest } = s;
        const strip = <T extends { images: unknown }>(x: T | null) => (x ? { ...x, images: undefined } : null);
        printJson({
          ...rest,
          data: { ...data, skipped: data.skipped.length },
          occlusion: strip(occlusion),
          cam: strip(cam),
          gradient: strip(gradient),
          gradcam: strip(gradcam),
          out: o.out,
          fail_on: o.failOn ?? null,
          exit_code: verdict.code,
        });
        if (o.failOn) process.stderr.write(`${verdict.line}\n`);
        return;
      }
      const f = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(3));
      const cf = s.counterfactual;
      process.stdout.write(
        `${verdict.line}\n` +
          `  ${cf.n} images with label boxes (of ${s.data.records}; ${s.data.skipped.length + s.data.detect_failed} file(s) skipped` +
          `${cf.no_room.length ? `, ${cf.no_room.length} without room for a control box` : ''})\n` +
          `  covered labels:    mean |dp| ${f(cf.covered.mean_abs_delta)}, flips ${(100 * cf.covered.flip_rate).toFixed(1)}%\n` +
          `  control (${cf.control}): mean |dp| ${f(cf.random_cover.mean_abs_delta)}, flips ${(100 * cf.random_cover.flip_rate).toFixed(1)}%\n` +
          (s.occlusion
            ? `  occlusion: ${(100 * s.occlusion.label_attention).toFixed(1)}% on labels vs ${(100 * s.occlusion.chance).toFixed(1)}% chance\n`
            : '') +
          (s.cam
            ? `  CAM: ${(100 * s.cam.label_attention).toFixed(1)}% on labels vs ${(100 * s.cam.chance).toFixed(1)}% chance\n`
            : '') +
          (s.gradient
            ? `  input x gradient (windowed): ${(100 * s.gradient.label_attention).toFixed(1)}% on labels vs ${(100 * s.gradient.chance).toFixed(1)}% chance\n`
            : '') +
          (s.gradcam
            ? `  Grad-CAM (${s.gradcam.layer}): ${(100 * s.gradcam.label_attention).toFixed(1)}% on labels vs ${(100 * s.gradcam.chance).toFixed(1)}% chance\n`
            : '') +
          `  report: ${o.out}/report.html\n`,
      );
    });
}
