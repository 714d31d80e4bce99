export { train, trainingBatch, predictRecords, BEST_WEIGHTS, type TrainData, type TrainResult, type EpochMetrics, type Parallel } from './loop.js';
export { epochBatches, type Shard } from './shard.js';
export { classWeights, cosineRate } from './schedule.js';
export { scoreRecords, writeScores, type ScoredImage } from './predict.js';
export { studySplits, type StudySplits } from './splits.js';
export { readRunConfig, openRun, type TrainedRun, type OpenRunOptions } from './run.js';
export { TrainConfigSchema, QUICK_PROFILE, PAPER_PROFILE, profileSettings, shippedWeights, type TrainConfig, type Profile } from './config.js';
export { augmentInto, MURA_AUGMENT, type AugmentOptions } from './augment.js';
export { InputCache, loadInput, assembleBatch, type InputSpec } from './inputs.js';
