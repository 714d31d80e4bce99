export {
  train, trainingBatch, prepareRunFolder, predictRecords, BEST_WEIGHTS,
  type RunMode, type TrainData, type TrainResult, type EpochMetrics, type Parallel,
} from './loop.js';
export { epochBatches, type Shard } from './shard.js';
export { classWeights, cosineRate } from './schedule.js';
export { scoreRecords, writeScores, type ScoredImage } from './predict.js';
export { studySplits, type StudySplits } from './splits.js';
export { readRunConfig, checkTrainedRun, openRun, type TrainedRun, type OpenRunOptions } from './run.js';
export { writeSplitFile, applySplitFile } from './split-file.js';
export { TrainConfigSchema, QUICK_PROFILE, PAPER_PROFILE, profileSettings, shippedWeights, type TrainConfig, type Profile } from './config.js';
export { augmentInto, MURA_AUGMENT, type AugmentOptions } from './augment.js';
export { InputCache, loadInput, assembleBatch, type InputSpec } from './inputs.js';
export { trainInChild } from './child.js';
