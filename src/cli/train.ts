import { Option, type Command } from 'commander';
import {
  train,
  studySplits,
  profileSettings,
  prepareRunFolder,
  checkTrainedRun,
  writeSplitFile,
  applySplitFile,
} from '../train/index.js';
import { checkChoice } from '../util/index.js';
import { loadDatasetReported, printJson, datasetInputs } from './common.js';
import * as opt from './options.js';
import { checkOutputFolder } from '../util/index.js';
import { acquireLock } from '../util/index.js';
import { finishBatch, printSkipped } from './outcome.js';
import { distSettings, launchLocal } from './launch.js';

export function register(program: Command): void {
  program
    .command('train')
    .description(
      'Train a DenseNet normal/abnormal classifier with the MURA recipe (Adam, weighted BCE, flips, rotations, LR/10 on plateau, best epoch by validation AUC)',
    )
    .requiredOption('--data <dir>', 'dataset folder (MURA layout, GRAZPEDWRI-DX, CSV manifest)')
    .requiredOption('--out <run>', 'run folder (config, metrics.jsonl, checkpoints, model.safetensors)')
    .option(
      '--variant-of <run>',
      'train on the same patient split as this earlier run (for arms built from the same images)',
    )
    .option(
      '--profile <name>',
      'quick (densenet-small, 128 px, from the shipped phantom-pretrained weights) or paper (densenet121, 320 px)',
      'paper',
    )
    .option('--arch <arch>', 'densenet121 | densenet-small')
    .option('--size <px>', 'input size', opt.intArg('--size', 16))
    .option('--epochs <n>', 'epochs', opt.intArg('--epochs', 1))
    .option('--batch <n>', 'batch size', opt.intArg('--batch', 1))
    .option('--lr <lr>', 'initial learning rate', opt.numArg('--lr', 0))
    .option(
      '--schedule <s>',
      "learning-rate schedule: plateau (MURA: /10 when validation loss stalls) | cosine (annealed to 0 over the epochs); default: the profile's",
    )
    .option('--seed <n>', 'seed for initialisation, shuffling and augmentation', opt.intArg('--seed'), 0)
    .option(
      '--weights <file>',
      "start from pretrained weights: safetensors or a PyTorch checkpoint such as torchvision's densenet121-*.pth (RGB conv0 summed to 1 channel), or none for random weights",
    )
    .addOption(opt.threadsOption())
    .addOption(opt.deviceOption('auto'))
    .addOption(opt.precisionOption())
    .addOption(
      opt.deterministicOption(
        ': with the same --threads, a rerun on the same kind of CPU or GPU gives the same weights',
      ),
    )
    .addOption(
      new Option(
        '--resume',
        'continue a killed run from its last checkpoint (a finished run is kept as it is)',
      ).conflicts('overwrite'),
    )
    .addOption(
      new Option(
        '--overwrite',
        'replace the run already in --out (without it, a folder holding a run is refused)',
      ).conflicts('resume'),
    )
    .option('--allow-outside', opt.ALLOW_OUTSIDE_HELP)
    .option(
      '--nproc <n>',
      'data-parallel training in N processes on this machine (gradients averaged over libtorch c10d/Gloo; NCCL on GPUs); --batch is split between them',
      opt.intArg('--nproc', 1),
    )
    .option(
      '--dist-url <url>',
      "across machines: rank 0's rendezvous tcp://HOST:PORT (or MASTER_ADDR/MASTER_PORT); the run folder must be shared",
    )
    .option('--world-size <n>', 'across machines: processes in all (or WORLD_SIZE)', opt.intArg('--world-size', 1))
    .option(
      '--rank <r>',
      "across machines: this process's rank, 0 writes the run folder (or RANK)",
      opt.intArg('--rank'),
    )
    .option(
      '--dist-timeout <s>',
      'seconds a process waits for the others before it stops',
      opt.numArg('--dist-timeout', 0.1),
      1800,
    )
    .option('--json', 'print the result as JSON')
    .action(async (o) => {
      if (o.nproc !== undefined && o.nproc > 1) {
        if (o.worldSize !== undefined || o.rank !== undefined || o.distUrl !== undefined)
          throw new Error('--nproc starts its own processes: leave out --dist-url, --world-size and --rank');
        await launchLocal(o.nproc, o.threads);
        return;
      }
      const dist = distSettings(o);
      const writer = (dist?.rank ?? 0) === 0;
      const profile = checkChoice('--profile', o.profile, ['quick', 'paper'] as const);
      const mode = o.resume ? 'resume' : o.overwrite ? 'overwrite' : 'new';
      if (o.variantOf) await checkTrainedRun(o.variantOf, '--variant-of');
      // Checked before and after loading: at once against --data, then against the folder its images are in.
      await checkOutputFolder(o.out, [{ what: 'dataset', path: o.data }]);
      const ds = await loadDatasetReported(o.data, o);
      await checkOutputFolder(o.out, datasetInputs(o.data, ds));
      // Held until train() ends: the split file below is written under the same lock.
      using _lock = writer ? await acquireLock(o.out, `train --out ${o.out}`) : undefined;
      if (writer) await prepareRunFolder(o.out, mode);
      const splits = o.variantOf ? await applySplitFile(o.variantOf, ds.records) : studySplits(ds.records, o.seed);
      const cfg = profileSettings(profile, {
        seed: o.seed,
        device: o.device,
        batch: o.batch,
        lr: o.lr,
        threads: o.threads,
        ...opt.trainOverrides(o),
      });
      if (writer) await writeSplitFile(o.out, splits);
      const { ProcessGroup, resolveDevice } = await import('../engine/index.js');
      using group = dist
        ? await ProcessGroup.init({ ...dist, cuda: resolveDevice(cfg.device ?? 'auto') !== 'cpu' })
        : undefined;
      const result = await train(
        { train: splits.train, valid: splits.valid },
        o.out,
        cfg,
        mode,
        group ? { group, localRank: dist?.localRank } : undefined,
      );
      printSkipped(result.skipped);
      if (!writer) return;
      const last = result.history[result.history.length - 1];
      if (o.json)
        printJson({
          run: result.run,
          best_epoch: result.bestEpoch,
          best_val_auc: result.bestAuc,
          device: result.device,
          world_size: result.worldSize,
          epochs: result.history,
        });
      else
        process.stdout.write(
          `trained ${result.history.length} epoch(s) on ${splits.train.length} images (${splits.how}); ` +
            `best validation AUC ${result.bestAuc.toFixed(3)} at epoch ${result.bestEpoch}; last ${last?.images_per_s.toFixed(1)} img/s; weights in ${o.out}/model.safetensors\n`,
        );
      const used = splits.train.length + splits.valid.length - result.skipped.length;
      finishBatch(used, ds.issues.length + result.skipped.length);
    });
}
