/**
 * Synthetic confounded radiographs ("phantom"). `generateDataset(dir, options)` writes MURA-v1.1 layout:
 *   DIR/{train,valid,test}/XR_<PART>/patientNNNNN/studyM_{positive,negative}/imageK.png (split by patient 70/10/20),
 *   DIR/{split}_image_paths.csv and DIR/{split}_labeled_studies.csv as MURA's: no header, paths relative to the
 *   folder that CONTAINS DIR and starting with DIR's own name (MURA's start with "MURA-v1.1/"), study paths end
 *   with "/", label 1 = abnormal;
 *   DIR/labels.coco.json (categories laterality, technologist; file_name relative to DIR; extra "text" field),
 *   DIR/truth.csv (one row per image: path relative to DIR, split, patient, study, part, abnormal, finding, ...),
 *   DIR/synth.json (the options).
 * Defaults: 600 studies (~1500 images), 256 px, 8-bit, confound 1 on train/valid and 0.3 on test, carried by
 * the laterality markers' style (the technologists' initials are there but uninformative; --confound-on
 * technologist|both moves it), difficulty 0.5: the ideal labels-only AUC is about 0.85 on train and 0.64 on test.
 * The default is the markers because a quick-profile CNN at 128 px learns a marker's frame or tab but hardly
 * reads initials: with both categories, half the shortcut was out of its reach.
 * `sampleMetadata` gives everything but pixels (fast); `renderImage` draws one image with its exact label mask.
 */
export * from './types.js';
export { type Part, PARTS } from './anatomy.js';
export { auc, groupedAuc } from './auc.js';
export { COCO_CATEGORIES, generateDataset, type Progress, renderSpecFor, type SynthSummary } from './dataset.js';
export { FONT_NAMES, type FontName, FONTS, INITIAL_LETTERS, type StrokeFont } from './fonts.js';
export { abnormalProbability, BASE_PREVALENCE, confoundScore, DEFAULT_OPTIONS, sampleMetadata } from './metadata.js';
export { resolveOptions } from './options.js';
export { drawLabel, type DrawnLabel, type LabelShape } from './labels.js';
export { LABEL_CODES, type RenderedImage, type RenderedLabel, renderImage, type RenderSpec } from './render.js';
export { renderInOrder, type RenderedPixels } from './render-pool.js';
export { labelsOnlyAuc, type SplitSummary, summarizeTruth, TRUTH_COLUMNS, type TruthRow, truthRows } from './truth.js';
