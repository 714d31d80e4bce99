import type { Command } from 'commander';
import { checkChoice } from '../util/options.js';
import { ARM_NAMES, DEFAULT_ARMS, type ArmName } from '../study/arms.js';
import { CONFOUND_ON } from '../synth/types.js';
import { SCHEDULES } from '../train/config.js';
import { intArg, numArg, printJson } from './common.js';

export function register(program: Command): void {
  program.command('study')
    .description('Run Yi et al.\'s study: train one model per arm (original, covered, labels-only, random-cover control), compare AUCs (paired DeLong), measure label attention (Grad-CAM) and run the counterfactual cover test; ends in results.json and report.html. With no --data it runs on the built-in synthetic phantom.')
    .option('--data <dir>', 'dataset folder (MURA layout, GRAZPEDWRI-DX, CSV manifest); default: generate the phantom')
    .option('--boxes <file>', 'label boxes (COCO, YOLO folder, CSV, Presidio JSON), or "truth" for the data\'s own labels.coco.json (the phantom\'s true boxes); default: the detector finds them (the phantom: its true boxes)')
    .option('--detect', 'use the detector\'s boxes (the default with --data and no --boxes; on the phantom the true boxes are used and the detector is scored)')
    .option('--profile <name>', 'quick (densenet-small, 128 px, few epochs: CPU) or paper (densenet121, 320 px, MURA recipe: GPU)', 'quick')
    .option('--arms <list>', `comma-separated arms from ${ARM_NAMES.join(', ')}`, DEFAULT_ARMS.join(','))
    .option('--out <dir>', 'study folder (rerunning skips finished steps)', 'study')
    .option('--seed <n>', 'seed for the phantom, split, training and controls', intArg('--seed'), 0)
    .option('--margin <px>', 'pixels added around each label box when covering', intArg('--margin'), 2)
    .option('--epochs <n>', 'override the profile\'s epochs', intArg('--epochs', 1))
    .option('--size <px>', 'override the profile\'s input size', intArg('--size', 16))
    .option('--arch <arch>', 'override the profile\'s architecture: densenet121 | densenet-small')
    .option('--schedule <s>', 'override the profile\'s learning-rate schedule: plateau | cosine')
    .option('--weights <file>', 'starting weights (safetensors, torchvision names), or none for random; default: the quick profile\'s shipped phantom-pretrained densenet-small, none for paper')
    .option('--threads <n>', 'compute threads', intArg('--threads', 1))
    .option('--studies <n>', 'phantom: number of studies', intArg('--studies', 10))
    .option('--confound <k>', 'phantom: label/outcome confounding on train and valid, 0..1', numArg('--confound', 0, 1))
    .option('--test-confound <k>', 'phantom: confounding on test, 0..1', numArg('--test-confound', 0, 1))
    .option('--confound-on <which>', 'phantom: which labels carry the confound: laterality (default) | technologist | both')
    .option('--overlays <n>', 'test images per arm given CAM overlay files', intArg('--overlays'), 24)
    .option('--json', 'print results.json on stdout when done')
    .action(async (o) => {
      const { runStudy } = await import('../study/study.js');
      const arms = String(o.arms).split(',').map((a) => checkChoice('--arms', a.trim(), ARM_NAMES)) as ArmName[];
      const phantom = Object.fromEntries(Object.entries({
        studies: o.studies, confound: o.confound, testConfound: o.testConfound,
        confoundOn: o.confoundOn === undefined ? undefined : checkChoice('--confound-on', o.confoundOn, CONFOUND_ON),
      }).filter(([, v]) => v !== undefined));
      const train = Object.fromEntries(Object.entries({
        epochs: o.epochs, size: o.size, arch: o.arch, weights: o.weights,
        schedule: o.schedule === undefined ? undefined : checkChoice('--schedule', o.schedule, SCHEDULES),
      }).filter(([, v]) => v !== undefined));
      const started = Date.now();
      const r = await runStudy({
        out: o.out, data: o.data, boxes: o.boxes, detect: Boolean(o.detect), profile: checkChoice('--profile', o.profile, ['quick', 'paper'] as const),
        arms, seed: o.seed, margin: o.margin, threads: o.threads, phantom, train, overlays: o.overlays,
      });
      if (o.json) { printJson(r); return; }
      const line = (a: (typeof r.arms)[number]) =>
        `  ${a.name.padEnd(18)} AUC ${a.auc.toFixed(3)} (${a.ci[0].toFixed(3)}-${a.ci[1].toFixed(3)})` +
        `${a.p_vs_original !== null ? `  p vs original ${a.p_vs_original.toPrecision(2)}` : ''}` +
        `${a.label_attention !== undefined ? `  label attention ${(100 * a.label_attention).toFixed(1)}%` : ''}`;
      process.stdout.write(`study done in ${((Date.now() - started) / 1000).toFixed(0)} s -> ${o.out}/report.html\n${r.arms.map(line).join('\n')}\n`);
      if (r.counterfactual) {
        const c = r.counterfactual;
        process.stdout.write(`  counterfactual (original model): covering labels |dp| ${c.mean_abs_delta.toFixed(3)}, flips ${(100 * c.flip_rate).toFixed(1)}%;` +
          ` random-cover control |dp| ${c.random_cover.mean_abs_delta.toFixed(3)}, flips ${(100 * c.random_cover.flip_rate).toFixed(1)}%\n`);
      }
      const attribution = r.by_category.attribution;
      if (attribution) {
        const shares = Object.entries(attribution.categories).map(([k, v]) => `${k} ${v.share_of_effect === null ? '–' : `${(100 * v.share_of_effect).toFixed(0)}%`}`).join(', ');
        process.stdout.write(`  by category: share of the cover effect ${shares}; attributed to ${attribution.attributed_to.join(' and ') || 'none'}\n`);
      }
    });
}
