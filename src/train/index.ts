export {
  train,
  trainingBatch,
  prepareRunFolder,
  predictRecords,
  BEST_WEIGHTS,
  type RunMode,
  type TrainData,
  type TrainResult,
  type EpochMetrics,
  type Parallel,
} from './loop.js';
export { augmentInto, type AugmentOptions, MURA_AUGMENT } from './augment.js';
export { trainInChild } from './child.js';
export {
  PAPER_PROFILE,
  type Profile,
  profileSettings,
  QUICK_PROFILE,
  SCHEDULES,
  shippedWeights,
  type TrainConfig,
  TrainConfigSchema,
} from './config.js';
export { assembleBatch, InputCache, type InputSpec, loadInput } from './inputs.js';
export { type ScoredImage, scoreRecords, writeScores } from './predict.js';
export { checkTrainedRun, openRun, type OpenRunOptions, readRunConfig, type TrainedRun } from './run.js';
export { classWeights, cosineRate } from './schedule.js';
export { epochBatches, type Shard } from './shard.js';
export { applySplitFile, writeSplitFile } from './split-file.js';
export { studySplits, type StudySplits } from './splits.js';
