import { Option, type Command } from 'commander';
import { train, studySplits, profileSettings, prepareRunFolder, checkTrainedRun, writeSplitFile, applySplitFile } from '../train/index.js';
import { SCHEDULES } from '../train/config.js';
import { checkChoice } from '../util/options.js';
import { checkOutputFolder } from '../util/safe-path.js';
import { acquireLock } from '../util/lock.js';
import { ALLOW_OUTSIDE_HELP, intArg, numArg, loadDatasetReported, datasetInputs, printJson } from './common.js';
import { finishBatch, printSkipped } from './outcome.js';

export function register(program: Command): void {
  program.command('train')
    .description('Train a DenseNet normal/abnormal classifier with the MURA recipe (Adam, weighted BCE, flips, rotations, LR/10 on plateau, best epoch by validation AUC)')
    .requiredOption('--data <dir>', 'dataset folder (MURA layout, GRAZPEDWRI-DX, CSV manifest)')
    .requiredOption('--out <run>', 'run folder (config, metrics.jsonl, checkpoints, model.safetensors)')
    .option('--variant-of <run>', 'train on the same patient split as this earlier run (for arms built from the same images)')
    .option('--profile <name>', 'quick (densenet-small, 128 px, from the shipped phantom-pretrained weights) or paper (densenet121, 320 px)', 'paper')
    .option('--arch <arch>', 'densenet121 | densenet-small')
    .option('--size <px>', 'input size', intArg('--size', 16))
    .option('--epochs <n>', 'epochs', intArg('--epochs', 1))
    .option('--batch <n>', 'batch size', intArg('--batch', 1))
    .option('--lr <lr>', 'initial learning rate', numArg('--lr', 0))
    .option('--schedule <s>', 'learning-rate schedule: plateau (MURA: /10 when validation loss stalls) | cosine (annealed to 0 over the epochs); default: the profile\'s')
    .option('--seed <n>', 'seed for initialisation, shuffling and augmentation', intArg('--seed'), 0)
    .option('--weights <file>', 'start from pretrained safetensors (torchvision DenseNet names; RGB conv0 summed to 1 channel), or none for random weights')
    .option('--threads <n>', 'compute threads', intArg('--threads', 1))
    .option('--device <d>', 'cpu or cuda', 'cpu')
    .addOption(new Option('--resume', 'continue a killed run from its last checkpoint (a finished run is kept as it is)').conflicts('overwrite'))
    .addOption(new Option('--overwrite', 'replace the run already in --out (without it, a folder holding a run is refused)').conflicts('resume'))
    .option('--allow-outside', ALLOW_OUTSIDE_HELP)
    .option('--json', 'print the result as JSON')
    .action(async (o) => {
      const profile = checkChoice('--profile', o.profile, ['quick', 'paper'] as const);
      const mode = o.resume ? 'resume' : o.overwrite ? 'overwrite' : 'new';
      if (o.variantOf) await checkTrainedRun(o.variantOf, '--variant-of');
      // Checked before and after loading: at once against --data, then against the folder its images are in.
      await checkOutputFolder(o.out, [{ what: 'dataset', path: o.data }]);
      const ds = await loadDatasetReported(o.data, o);
      await checkOutputFolder(o.out, datasetInputs(o.data, ds));
      // Held until train() ends: the split file below is written under the same lock.
      using _lock = await acquireLock(o.out, `train --out ${o.out}`);
      await prepareRunFolder(o.out, mode);
      const splits = o.variantOf ? await applySplitFile(o.variantOf, ds.records) : studySplits(ds.records, o.seed);
      const cfg = profileSettings(profile, {
        seed: o.seed, device: o.device, arch: o.arch, size: o.size, epochs: o.epochs, batch: o.batch, lr: o.lr, weights: o.weights, threads: o.threads,
        schedule: o.schedule === undefined ? undefined : checkChoice('--schedule', o.schedule, SCHEDULES),
      });
      await writeSplitFile(o.out, splits);
      const result = await train({ train: splits.train, valid: splits.valid }, o.out, cfg, mode);
      printSkipped(result.skipped);
      const last = result.history[result.history.length - 1];
      if (o.json) printJson({ run: result.run, best_epoch: result.bestEpoch, best_val_auc: result.bestAuc, epochs: result.history });
      else process.stdout.write(`trained ${result.history.length} epoch(s) on ${splits.train.length} images (${splits.how}); ` +
        `best validation AUC ${result.bestAuc.toFixed(3)} at epoch ${result.bestEpoch}; last ${last?.images_per_s.toFixed(1)} img/s; weights in ${o.out}/model.safetensors\n`);
      const used = splits.train.length + splits.valid.length - result.skipped.length;
      finishBatch(used, ds.issues.length + result.skipped.length);
    });
}
