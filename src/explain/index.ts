// The public surface of src/explain: other folders import only from here.
export { labelAttention, upsample } from './attention.js';
export { CAM_BASELINES } from './baseline.js';
export { CAM_METHODS, CAM_TARGETS, type CamMaps, ChannelCam, type LayerCapture } from './cam.js';
export { counterfactual, type CounterfactualResult, type Scorer } from './counterfactual.js';
export { encodeRgbPng, overlayRgb } from './overlay.js';
export { camRecords, STUDY_ATTENTION } from './run-cam.js';
export { type AttentionSummary, summariseAttention } from './summary.js';
