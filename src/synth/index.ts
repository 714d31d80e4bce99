export { generateDataset, renderSpecFor, COCO_CATEGORIES, type SynthSummary, type Progress } from './dataset.js';
export { sampleMetadata, abnormalProbability, confoundScore, DEFAULT_OPTIONS, BASE_PREVALENCE } from './metadata.js';
export { resolveOptions } from './options.js';
export { renderImage, LABEL_CODES, type RenderSpec, type RenderedImage, type RenderedLabel } from './render.js';
export { truthRows, labelsOnlyAuc, summarizeTruth, TRUTH_COLUMNS, type TruthRow, type SplitSummary } from './truth.js';
export { auc, groupedAuc } from './auc.js';
export { PARTS, type Part } from './anatomy.js';
export { FONT_NAMES, type FontName } from './fonts.js';
export * from './types.js';
