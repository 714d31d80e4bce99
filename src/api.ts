/**
 * confound as a library: `import { audit, detect, compare, screen, study } from 'confound'`. The CLI commands call
 * these same functions. audit (ONNX), detect, compare and screen need no libtorch; study and TorchScript audits
 * load the engine addon on first use and say what to install when it is missing.
 */
import type { StudyOptions, StudyResults } from './study/index.js';
import { loadDataset, type DatasetFormat } from './data/load.js';
import type { LoadIssue } from './data/types.js';
import {
  detectDataset,
  loadDetectorModel,
  detectionsToCoco,
  type DatasetDetection,
  type DetectOptions,
} from './labels/detect/index.js';

export { runAudit as audit, AUDIT_JSON, type AuditOptions, type AuditSummary } from './audit/run-audit.js';
export { verdictOf, DEFAULT_RULE, type Verdict, type VerdictRule, type Reliance } from './audit/verdict.js';
export { gate, verdictInResults, EXIT_RELIANCE, FAIL_ON, type FailOn } from './audit/gate.js';
export { PRESETS, PRESET_NAMES, type PresetName, type PreprocessSpec } from './audit/presets.js';
export { runCompare as compare } from './cli/compare.js';
export { runScreen as screen } from './cli/screen.js';
export type { CompareResult, ScreenResult } from './stats/index.js';
export type { StudyOptions, StudyResults };

export interface DetectApiOptions extends DetectOptions {
  /** Dataset folder or manifest CSV. */
  data: string;
  format?: DatasetFormat;
  /** Detector weights (default: the shipped models/detector.json). */
  model?: string;
}

/** Find burned-in labels in every image of a dataset: boxes, per-image sizes, the COCO file's content, skipped files. */
export async function detect(
  opts: DetectApiOptions,
): Promise<DatasetDetection & { coco: unknown; skipped: LoadIssue[] }> {
  const { data, format, model, ...detectOpts } = opts;
  const ds = await loadDataset(data, { format });
  const res = await detectDataset(ds.records, loadDetectorModel(model), detectOpts);
  return { ...res, coco: detectionsToCoco(res.boxes, res.sizes), skipped: [...ds.issues, ...res.issues] };
}

/** Yi et al.'s study on a dataset or the phantom (needs the libtorch engine): results.json, then report.html. */
export async function study(opts: StudyOptions): Promise<StudyResults> {
  const { runStudy } = await import('./study/index.js');
  const { renderReport } = await import('./report/index.js');
  const results = await runStudy(opts);
  await renderReport(opts.out);
  return results;
}
