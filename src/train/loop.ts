import { readFile, rm, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageRecord, LoadIssue } from '../data/index.js';
import {
  Model,
  setDeterministic,
  resolveDevice,
  cudaDeviceCount,
  type Device,
  type ProcessGroup,
} from '../engine/index.js';
import { auc } from '../stats/index.js';
import { Rng } from '../util/index.js';
import { writeFileAtomic, writeJsonAtomic } from '../util/index.js';
import { progress } from '../util/index.js';
import { acquireLock } from '../util/index.js';
import { clearComplete, isComplete, markComplete, COMPLETE_MARK } from '../util/index.js';
import { makeDirs } from '../util/index.js';
import { augmentInto } from './augment.js';
import { InputCache, assembleBatch } from './inputs.js';
import { classWeights, cosineRate, plateauStep, type PlateauState } from './schedule.js';
import { TrainConfigSchema, type TrainConfig } from './config.js';
import { epochBatches } from './shard.js';

export interface EpochMetrics {
  epoch: number;
  lr: number;
  train_loss: number;
  val_loss: number;
  val_auc: number;
  images_per_s: number;
  seconds: number;
}

/** What RUN/state.json records after each finished epoch; enough to resume exactly. */
interface RunState {
  epochsDone: number;
  checkpoint: string;
  plateau: PlateauState;
  bestAuc: number;
  bestEpoch: number;
  history: EpochMetrics[];
}

export interface TrainData {
  train: ImageRecord[];
  valid: ImageRecord[];
  /** Shown before progress lines (several runs may train side by side). */
  name?: string;
}

export interface TrainResult {
  run: string;
  bestEpoch: number;
  bestAuc: number;
  history: EpochMetrics[];
  resumed: boolean;
  /** Images left out because they did not decode (each named, with the reason). */
  skipped: LoadIssue[];
  /** Where this process computed, and how many processes trained together. */
  device: Device;
  worldSize: number;
}

/** A data-parallel run: this process's group, and its rank among the processes of this machine (picks its GPU). */
export interface Parallel {
  group: ProcessGroup;
  localRank?: number;
}

export const BEST_WEIGHTS = 'model.safetensors';

function checkLabelled(records: readonly ImageRecord[], split: string): (0 | 1)[] {
  const missing = records.filter((r) => r.label === undefined);
  if (missing.length) throw new Error(`${missing.length} ${split} images have no label (first: ${missing[0].path})`);
  if (records.length === 0) throw new Error(`no ${split} images`);
  return records.map((r) => r.label as 0 | 1);
}

/** How train treats a run folder that already holds a run: refuse (new), continue it (resume), or replace it. */
export type RunMode = 'new' | 'resume' | 'overwrite';

const RUN_FILES = ['config.json', 'state.json', 'metrics.jsonl', BEST_WEIGHTS, COMPLETE_MARK];

/**
 * Check a run folder before anything is written to it: a folder holding a run (finished or not) is refused unless
 * the mode says what to do with it; 'overwrite' removes the old run's files (and only those).
 */
export async function prepareRunFolder(runDir: string, mode: RunMode): Promise<void> {
  const files = existsSync(runDir) ? await readdir(runDir) : [];
  const old = files.filter((f) => RUN_FILES.includes(f) || /^checkpoint-\d+\.safetensors$/.test(f));
  if (old.length === 0 || mode === 'resume') return;
  if (mode === 'overwrite') {
    for (const f of old) await rm(join(runDir, f), { force: true });
    return;
  }
  const finished = isComplete(runDir);
  throw new Error(
    `${runDir}: already holds ${finished ? 'a finished' : 'an unfinished'} training run; ` +
      `${finished ? 'use --resume to keep it' : 'use --resume to continue it'}, --overwrite to replace it, or another --out`,
  );
}

/**
 * Train one classifier with the MURA recipe: Adam, weighted BCE, flips and rotations, learning rate /10 on a
 * validation-loss plateau, best epoch kept by validation AUC. Every epoch ends in an atomic checkpoint, so a
 * killed run resumes (`resume: true`) and reaches the same weights as an uninterrupted one. The run folder is
 * locked while training, and RUN/.complete is written last: predict and cam refuse a run without it.
 */
export async function train(
  input: TrainData,
  runDir: string,
  options: Partial<TrainConfig>,
  resume: boolean | RunMode = false,
  parallel?: Parallel,
): Promise<TrainResult> {
  const mode: RunMode = resume === true ? 'resume' : resume === false ? 'new' : resume;
  const cfg = TrainConfigSchema.parse(options);
  const group = parallel?.group;
  const shard = { rank: group?.rank ?? 0, world: group?.worldSize ?? 1 };
  // Only rank 0 writes the run folder (which several machines may share) and holds its lock; every rank reads it to resume.
  const writer = shard.rank === 0;
  const device = rankDevice(cfg.device, parallel?.localRank);
  if (writer) await makeDirs(runDir);
  using _lock = writer ? await acquireLock(runDir, `train --out ${runDir}`) : undefined;
  if (writer) await prepareRunFolder(runDir, mode);
  // Every image is decoded once before the first step: one that does not decode is skipped and named here,
  // instead of stopping the run half-way through an epoch.
  const cache = new InputCache({ size: cfg.size, mean: cfg.mean, std: cfg.std });
  const skipped: LoadIssue[] = [];
  const data: TrainData = {
    ...input,
    train: await cache.readable(input.train, skipped, `${input.name ? `${input.name} ` : ''}reading train`),
    valid: await cache.readable(input.valid, skipped, `${input.name ? `${input.name} ` : ''}reading valid`),
  };
  const trainLabels = checkLabelled(data.train, 'training');
  const validLabels = checkLabelled(data.valid, 'validation');
  const weights = classWeights(trainLabels);

  const statePath = join(runDir, 'state.json');
  let state: RunState | undefined;
  if (mode === 'resume' && existsSync(statePath)) {
    const saved = JSON.parse(await readFile(join(runDir, 'config.json'), 'utf8')) as {
      train: TrainConfig;
      world_size?: number;
    };
    if ((saved.world_size ?? 1) !== shard.world) {
      throw new Error(
        `${join(runDir, 'config.json')}: the run was started with ${saved.world_size ?? 1} process(es), not ${shard.world}; ` +
          'resume it with the same number (batch-norm statistics depend on the per-process share of each batch)',
      );
    }
    if (JSON.stringify(runIdentity(saved.train)) !== JSON.stringify(runIdentity(cfg))) {
      throw new Error(
        `${join(runDir, 'config.json')}: the run was started with other settings; use a new --out or the same settings`,
      );
    }
    state = JSON.parse(await readFile(statePath, 'utf8')) as RunState;
  } else if (writer) {
    await writeJsonAtomic(join(runDir, 'config.json'), {
      train: cfg,
      world_size: shard.world,
      data: {
        train: data.train.length,
        valid: data.valid.length,
        positives: trainLabels.filter((l) => l === 1).length,
      },
      class_weights: weights,
    });
  }

  if (cfg.deterministic) setDeterministic(true);
  using model = state
    ? await Model.load(join(runDir, state.checkpoint), {
        threads: cfg.threads,
        device,
        precision: cfg.precision,
        withOptimizer: true,
      })
    : await Model.create({
        arch: cfg.arch,
        channels: 1,
        seed: cfg.seed,
        threads: cfg.threads,
        device,
        precision: cfg.precision,
        weights: cfg.weights,
      });
  if (group) await model.averageGradientsOver(group);

  let plateau: PlateauState = state?.plateau ?? { lr: cfg.lr, best: Infinity, badEpochs: 0 };
  let bestAuc = state?.bestAuc ?? -Infinity;
  let bestEpoch = state?.bestEpoch ?? -1;
  const history = state?.history ?? [];
  const resumed = state !== undefined;
  const result = () => ({ run: runDir, bestEpoch, bestAuc, history, resumed, skipped, device, worldSize: shard.world });
  if (state && state.epochsDone >= cfg.epochs) {
    if (writer && !isComplete(runDir))
      await markComplete(runDir, 'training run', { epochs: state.epochsDone, best_epoch: bestEpoch });
    return result();
  }
  if (writer) await clearComplete(runDir);

  const rootRng = new Rng(cfg.seed);

  for (let epoch = (state?.epochsDone ?? 0) + 1; epoch <= cfg.epochs; epoch++) {
    const lr = cfg.schedule === 'cosine' ? cosineRate(cfg.lr, epoch, cfg.epochs) : plateau.lr;
    await model.setLearningRate(lr);
    const started = Date.now();
    const batches = epochBatches(data.train.length, cfg.batch, rootRng, epoch, shard);
    const images = batches.reduce((s, b) => s + b.length, 0);

    const makeBatch = (b: number) => trainingBatch(data.train, batches[b], cache, cfg, rootRng, epoch);
    const tag = data.name ? `${data.name} ` : '';
    const bar = writer
      ? progress(`${tag}epoch ${epoch}/${cfg.epochs}`, images, ['loss', 'img_s'])
      : { tick() {}, stop() {} };
    let lossSum = 0;
    let seen = 0;
    let next = makeBatch(0);
    for (let b = 0; b < batches.length; b++) {
      const batch = await next;
      // Decode and augment the next batch while the engine computes this one off the event loop.
      if (b + 1 < batches.length) next = makeBatch(b + 1);
      const idx = batches[b];
      const targets = Float32Array.from(idx, (i) => trainLabels[i]);
      const w = Float32Array.from(idx, (i) => (trainLabels[i] === 1 ? weights.pos : weights.neg));
      const loss = await model
        .trainStep(batch, targets, w, { n: idx.length, height: cfg.size, width: cfg.size })
        .catch((err: Error) => {
          throw groupFailure(err, shard, epoch);
        });
      lossSum += loss * idx.length;
      seen += idx.length;
      bar.tick(idx.length, {
        loss: (lossSum / seen).toFixed(4),
        img_s: (seen / ((Date.now() - started) / 1000)).toFixed(1),
      });
    }
    bar.stop();
    // Each rank's BatchNorm statistics followed its own micro-batches: average them, so all ranks hold one model.
    if (group)
      await model.averageBuffersOver(group).catch((err: Error) => {
        throw groupFailure(err, shard, epoch);
      });
    const trainSeconds = (Date.now() - started) / 1000;

    const probs = await predictRecords(model, data.valid, cache, cfg.size, cfg.batch * 2);
    const valLoss = weightedBce(validLabels, probs, weights);
    const valAuc = new Set(validLabels).size === 2 ? auc(validLabels, probs) : NaN;
    const metrics: EpochMetrics = {
      epoch,
      lr,
      train_loss: lossSum / images,
      val_loss: valLoss,
      val_auc: valAuc,
      images_per_s: (images * shard.world) / trainSeconds,
      seconds: (Date.now() - started) / 1000,
    };
    history.push(metrics);
    if (valAuc > bestAuc || bestEpoch < 0) {
      bestAuc = valAuc;
      bestEpoch = epoch;
      if (writer) await model.save(join(runDir, BEST_WEIGHTS));
    }
    plateau = plateauStep(plateau, valLoss, cfg.patience);
    const checkpoint = `checkpoint-${String(epoch).padStart(3, '0')}.safetensors`;
    if (writer) {
      await model.saveCheckpoint(join(runDir, checkpoint));
      await writeFileAtomic(join(runDir, 'metrics.jsonl'), history.map((m) => JSON.stringify(m)).join('\n') + '\n');
      await writeJsonAtomic(statePath, {
        epochsDone: epoch,
        checkpoint,
        plateau,
        bestAuc,
        bestEpoch,
        history,
      } satisfies RunState);
      await removeOldCheckpoints(runDir, checkpoint);
    }
    // No rank runs ahead of the checkpoint: a run killed later resumes from this epoch on every rank.
    if (group)
      await group.barrier().catch((err: Error) => {
        throw groupFailure(err, shard, epoch);
      });
    if (writer)
      process.stderr.write(
        `${tag}epoch ${epoch}: train loss ${metrics.train_loss.toFixed(4)}, val loss ${valLoss.toFixed(4)}, ` +
          `val AUC ${valAuc.toFixed(3)}, ${metrics.images_per_s.toFixed(1)} img/s\n`,
      );
  }
  if (writer) await markComplete(runDir, 'training run', { epochs: cfg.epochs, best_epoch: bestEpoch });
  return result();
}

/** The device of this process: with several processes on one machine, rank k of the machine takes GPU k. */
function rankDevice(choice: string, localRank: number | undefined): Device {
  const device = resolveDevice(choice);
  if (device !== 'cuda' || localRank === undefined) return device;
  return `cuda:${localRank % cudaDeviceCount()}`;
}

function groupFailure(err: Error, shard: { rank: number; world: number }, epoch: number): Error {
  if (shard.world === 1) return err;
  return new Error(
    `rank ${shard.rank} of ${shard.world}: training stopped in epoch ${epoch}, the process group failed ` +
      `(another process stopped, or the network between them failed): ${err.message}. ` +
      'Restart all processes with --resume to continue from the last finished epoch.',
    { cause: err },
  );
}

/** The settings that make a run what it is: where it computes (device, threads) may change on resume. */
function runIdentity(cfg: TrainConfig): Omit<TrainConfig, 'device' | 'threads'> {
  const { device: _device, threads: _threads, ...rest } = cfg;
  return rest;
}

/** The augmented inputs of training images `idx` in `epoch`: each image's draws are seeded by (epoch, index). */
export function trainingBatch(
  records: readonly ImageRecord[],
  idx: readonly number[],
  cache: InputCache,
  cfg: TrainConfig,
  root: Rng,
  epoch: number,
): Promise<Float32Array> {
  const fill = (0 - cfg.mean) / cfg.std;
  return assembleBatch(
    idx.map((i) => records[i]),
    cache,
    cfg.size,
    (src, k, out) =>
      augmentInto(
        src,
        cfg.size,
        root.fork(`aug:${epoch}:${idx[k]}`),
        { flip: cfg.flip, maxRotation: cfg.maxRotation },
        out,
        fill,
      ),
  );
}

async function removeOldCheckpoints(runDir: string, keep: string): Promise<void> {
  for (const f of await readdir(runDir)) {
    if (f.startsWith('checkpoint-') && f.endsWith('.safetensors') && f !== keep)
      await rm(join(runDir, f), { force: true });
  }
}

/**
 * Probabilities for records, in order, batch by batch. With a `skipped` list, an image that does not decode is
 * added to it and gets NaN; without one, it stops the call.
 */
export async function predictRecords(
  model: Pick<Model, 'predict'>,
  records: readonly ImageRecord[],
  cache: InputCache,
  size: number,
  batch: number,
  skipped?: LoadIssue[],
): Promise<Float32Array> {
  const out = new Float32Array(records.length).fill(NaN);
  const plane = size * size;
  for (let i = 0; i < records.length; i += batch) {
    const chunk = records.slice(i, i + batch);
    const inputs = await Promise.all(
      chunk.map((r) =>
        cache.get(r).catch((err: Error) => {
          if (!skipped) throw err;
          skipped.push({ file: r.path, message: err.message });
          return null;
        }),
      ),
    );
    const good = inputs.flatMap((x, k) => (x ? [k] : []));
    if (good.length === 0) continue;
    const images = new Float32Array(good.length * plane);
    good.forEach((k, j) => {
      images.set(inputs[k]!, j * plane);
    });
    const probs = await model.predict(images, { n: good.length, height: size, width: size });
    good.forEach((k, j) => {
      out[i + k] = probs[j];
    });
  }
  return out;
}

function weightedBce(labels: readonly (0 | 1)[], probs: Float32Array, w: { pos: number; neg: number }): number {
  const eps = 1e-7;
  let s = 0;
  labels.forEach((l, i) => {
    const p = Math.min(1 - eps, Math.max(eps, probs[i]));
    s += l === 1 ? -w.pos * Math.log(p) : -w.neg * Math.log(1 - p);
  });
  return s / labels.length;
}
