export { OnnxGraph, type AttrValue, type Dim, type ElemType } from '../infer/index.js';
export { type AttentionShareSummary, summariseShares } from './attention-summary.js';
export { auditBoxes, type BoxSource, type FoundBoxes } from './boxes.js';
export { decodeNpy, parseJsonWeights, readCamWeights, type WeightMatrix, weightRow } from './cam-weights.js';
export { camAttention, type CamAttentionResult, ClassifierCam } from './cam.js';
export { EXIT_RELIANCE, FAIL_ON, type FailOn, gate, reaches, verdictInResults } from './gate.js';
export {
  occlusionAttention,
  type OcclusionImageResult,
  occlusionMap,
  type OcclusionMap,
  type OcclusionOptions,
  resolveOcclusion,
} from './occlusion.js';
export { type Activation, OnnxScorer, type OnnxScorerOptions, type ScorerInfo } from './onnx-scorer.js';
export {
  checkPreprocess,
  normalizeInput,
  prepareInput,
  type Preprocess,
  RESIZE_MODES,
  type Resized,
  type ResizeMode,
  resizeToModel,
  stretch,
} from './preprocess.js';
export { auditReportHtml } from './report.js';
export { AUDIT_HTML, AUDIT_JSON, type AuditOptions, type AuditSummary, runAudit } from './run-audit.js';
export { convModel, type Region, regionModel, type RegionModelOptions } from './toy-models.js';
export {
  DEFAULT_RULE,
  type Reliance,
  signedRankGreater,
  type SignedRankResult,
  type Verdict,
  verdictOf,
  type VerdictRule,
} from './verdict.js';
