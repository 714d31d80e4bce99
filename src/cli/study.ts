import type { Command } from 'commander';
import { checkChoice } from '../util/index.js';
import { ARM_NAMES, DEFAULT_ARMS, type ArmName } from '../study/index.js';
import { CONFOUND_ON } from '../synth/index.js';
import { printJson } from './common.js';
import * as opt from './options.js';
import { finishBatch } from './outcome.js';
import { join } from 'node:path';
import { FAIL_ON, gate, verdictInResults } from '../audit/index.js';

export function register(program: Command): void {
  program
    .command('study')
    .description(
      "Run Yi et al.'s study: train one model per arm (original, covered, labels-only, random-cover control), compare AUCs (paired DeLong), measure label attention (Grad-CAM) and run the counterfactual cover test; ends in results.json and report.html. With no --data it runs on the built-in synthetic phantom.",
    )
    .option('--data <dir>', 'dataset folder (MURA layout, GRAZPEDWRI-DX, CSV manifest); default: generate the phantom')
    .option(
      '--boxes <file>',
      'label boxes (COCO, YOLO folder, CSV, Presidio JSON), or "truth" for the data\'s own labels.coco.json (the phantom\'s true boxes); default: the detector finds them (the phantom: its true boxes)',
    )
    .option(
      '--detect',
      "use the detector's boxes (the default with --data and no --boxes; on the phantom the true boxes are used and the detector is scored)",
    )
    .option(
      '--profile <name>',
      'quick (densenet-small, 128 px, few epochs: CPU) or paper (densenet121, 320 px, MURA recipe: GPU)',
      'quick',
    )
    .option('--arms <list>', `comma-separated arms from ${ARM_NAMES.join(', ')}`, DEFAULT_ARMS.join(','))
    .option('--out <dir>', 'study folder (rerunning skips finished steps)', 'study')
    .option('--seed <n>', 'seed for the phantom, split, training and controls', opt.intArg('--seed'), 0)
    .option('--margin <px>', 'pixels added around each label box when covering', opt.intArg('--margin'), 2)
    .option('--epochs <n>', "override the profile's epochs", opt.intArg('--epochs', 1))
    .option('--size <px>', "override the profile's input size", opt.intArg('--size', 16))
    .option('--arch <arch>', "override the profile's architecture: densenet121 | densenet-small")
    .option('--schedule <s>', "override the profile's learning-rate schedule: plateau | cosine")
    .option(
      '--weights <file>',
      "starting weights (safetensors, or a PyTorch checkpoint such as torchvision's densenet121-*.pth), or none for random; default: the quick profile's shipped phantom-pretrained densenet-small, none for paper",
    )
    .addOption(opt.threadsOption())
    .addOption(opt.deviceOption('auto'))
    .addOption(opt.precisionOption())
    .addOption(opt.deterministicOption('; arms always train in processes of their own with fixed threads'))
    .option('--studies <n>', 'phantom: number of studies', opt.intArg('--studies', 10))
    .option(
      '--confound <k>',
      'phantom: label/outcome confounding on train and valid, 0..1',
      opt.numArg('--confound', 0, 1),
    )
    .option('--test-confound <k>', 'phantom: confounding on test, 0..1', opt.numArg('--test-confound', 0, 1))
    .option(
      '--confound-on <which>',
      'phantom: which labels carry the confound: laterality (default) | technologist | both',
    )
    .option('--overlays <n>', 'test images per arm given CAM overlay files', opt.intArg('--overlays'), 24)
    .option('--allow-outside', opt.ALLOW_OUTSIDE_HELP)
    .option(
      '--restart-changed',
      'redo a finished step whose settings or inputs changed, and every step after it (default: stop and name what changed)',
    )
    .option('--json', 'print results.json on stdout when done')
    .option(
      '--fail-on <level>',
      "exit with code 3 when the original model's counterfactual verdict reaches weak or strong",
    )
    .action(async (o) => {
      const { runStudy, studySummaryLines } = await import('../study/index.js');
      const { renderReport } = await import('../report/index.js');
      const failOn = o.failOn === undefined ? undefined : checkChoice('--fail-on', o.failOn, FAIL_ON);
      const arms = String(o.arms)
        .split(',')
        .map((a) => checkChoice('--arms', a.trim(), ARM_NAMES)) as ArmName[];
      const phantom = Object.fromEntries(
        Object.entries({
          studies: o.studies,
          confound: o.confound,
          testConfound: o.testConfound,
          confoundOn: o.confoundOn === undefined ? undefined : checkChoice('--confound-on', o.confoundOn, CONFOUND_ON),
        }).filter(([, v]) => v !== undefined),
      );
      const train = opt.trainOverrides(o);
      const started = Date.now();
      const r = await runStudy({
        out: o.out,
        data: o.data,
        boxes: o.boxes,
        detect: Boolean(o.detect),
        profile: checkChoice('--profile', o.profile, ['quick', 'paper'] as const),
        arms,
        seed: o.seed,
        margin: o.margin,
        threads: o.threads,
        device: o.device,
        phantom,
        train,
        overlays: o.overlays,
        restartChanged: Boolean(o.restartChanged),
        allowOutside: Boolean(o.allowOutside),
      });
      await renderReport(o.out);
      // Files the data step skipped, and images that could not be made in every arm, end the run with exit code 2.
      finishBatch(
        r.dataset.images - (r.dataset.excluded_from_arms ?? 0),
        r.dataset.skipped + (r.dataset.excluded_from_arms ?? 0),
      );
      // The gate reads the verdict the study stored (results.json's counterfactual.verdict); 3 overrides 2.
      const gated = failOn ? gate(verdictInResults(r, join(o.out, 'results.json')), failOn) : undefined;
      if (gated?.code) process.exitCode = gated.code;
      if (o.json) {
        printJson(r);
        if (gated) process.stderr.write(`${gated.line}\n`);
        return;
      }
      process.stdout.write(
        `study done in ${((Date.now() - started) / 1000).toFixed(0)} s -> ${o.out}/report.html\n${studySummaryLines(r).join('\n')}\n`,
      );
      if (gated) process.stdout.write(`${gated.line}\n`);
    });
}
