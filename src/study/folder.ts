/**
 * The study folder's one contract: where each file lives, and the schema of every file one stage writes and
 * another reads (results.json, cam/<arm>/attention.json, counterfactual.json). The study writes through it; the
 * report, the viewer and the CLI read through it.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../util/index.js';

/** results.json's version; a reader refuses any other. */
export const STUDY_SCHEMA = 2;

/** Every path inside a study folder. */
export function studyPaths(dir: string) {
  const root = resolve(dir);
  return {
    root,
    results: join(root, 'results.json'),
    report: join(root, 'report.html'),
    steps: join(root, 'steps.json'),
    boxes: join(root, 'boxes.coco.json'),
    counterfactual: join(root, 'counterfactual.json'),
    /** The phantom, when the study generated its own data. */
    phantom: join(root, 'data'),
    armData: (arm: string) => join(root, 'arms', arm),
    armBoxes: (arm: string) => join(root, 'arms', `${arm}.boxes.coco.json`),
    run: (arm: string) => join(root, 'runs', arm),
    scores: (arm: string) => join(root, 'scores', `${arm}.csv`),
    scoresDir: join(root, 'scores'),
    cam: (arm: string) => join(root, 'cam', arm),
    attention: (arm: string) => join(root, 'cam', arm, 'attention.json'),
  };
}
export type StudyPaths = ReturnType<typeof studyPaths>;

/** The file stem cam/<arm>/ uses for an image id's overlay and map. */
export function camStem(id: string): string {
  return id.replace(/[\\/]/g, '__').replace(/\.[^.]+$/, '');
}

// Metrics are nullable: JSON writes a NaN (an AUC on one class, a CI of one image) as null.
const num = z.number().nullable();
const ci = z.tuple([num, num]);

const CategoryAttentionSchema = z.record(z.string(), z.object({ n: z.number(), label_attention: num, ci }));

export const ArmResultSchema = z.object({
  name: z.string(),
  description: z.string(),
  val_auc: num,
  best_epoch: z.number(),
  n: z.number(),
  n_pos: z.number(),
  auc: num,
  ci,
  auc_study: num,
  ci_study: ci,
  n_study: z.number(),
  kappa_study: num,
  p_vs_original: num,
  p_vs_original_study: num,
  diff_vs_original: num,
  /** Mean share of saliency mass inside label boxes over test images with boxes, bootstrap 95% CI. */
  label_attention: num,
  label_attention_ci: ci,
  pointing_game: num,
  pointing_game_ci: ci,
  /** Share of the image the boxes cover: what an evenly spread map would give. */
  attention_chance: num,
  attention_n: z.number(),
  attention_by_category: CategoryAttentionSchema,
  /** The same share under plain Grad-CAM at the final layer, as the paper looked. */
  gradcam_final_label_attention: num,
  gradcam_final_label_attention_ci: ci.nullable(),
});
export type ArmResult = z.infer<typeof ArmResultSchema>;

export const EffectSchema = z.object({ mean_abs_delta: num, flip_rate: num, mean_delta: num });

/** The cover test's verdict on the original model (src/audit/verdict.ts decides it, for the audit too). */
export const RelianceVerdictSchema = z.object({
  reliance: z.enum(['none', 'weak', 'strong']),
  conclusive: z.boolean(),
  net_effect: num,
  ci,
  scale: num,
  covered_abs_logit: num,
  control_abs_logit: num,
  covered_abs_delta: num,
  control_abs_delta: num,
  test: z.object({ n: z.number(), w_plus: z.number(), z: num, p: num }),
  n: z.number(),
  rule: z.unknown(),
  summary: z.string(),
  evidence: z.array(z.string()),
});

export const CounterfactualSummarySchema = z.object({
  n: z.number(),
  /** The covered effect, and its control under random_cover. */
  covered: EffectSchema,
  random_cover: EffectSchema,
  /** Where the control covers went (location-matched, or anywhere away from the labels). */
  control: z.enum(['location', 'anywhere']).optional(),
  /** Images left out: their labels left no room for a control box. */
  no_room: z.array(z.object({ id: z.string(), path: z.string(), message: z.string() })).optional(),
  auc_original: num.optional(),
  auc_covered: num.optional(),
  auc_random_cover: num.optional(),
  z: num.optional(),
  p: num.optional(),
  p_random_cover: num.optional(),
});

const AttributionSchema = z.object({
  all_net_mean_abs_delta: num,
  categories: z.record(
    z.string(),
    z.object({
      net_mean_abs_delta: num,
      share_of_effect: num,
      share_of_covered_auc_gain: num.optional(),
    }),
  ),
  attributed_to: z.array(z.string()),
  rule: z.string(),
});

export const ByCategorySchema = z.object({
  arms: z.array(z.object({ arm: z.string(), auc: num, ci, p_vs_original: num, share_of_covered_effect: num })),
  counterfactual: z.record(z.string(), CounterfactualSummarySchema),
  attention: CategoryAttentionSchema,
  attribution: AttributionSchema.nullable(),
});

const SplitCountsSchema = z.object({
  images: z.number(),
  studies: z.number(),
  patients: z.number(),
  abnormal_images: z.number(),
  prevalence: num,
});

export const DatasetSummarySchema = z.object({
  root: z.string(),
  format: z.string(),
  images: z.number(),
  /** Files the loader could not use. */
  skipped: z.number(),
  /** Images left out of every arm because some arm could not be made for them (the arms stay paired). */
  excluded_from_arms: z.number(),
  excluded_ids: z.array(z.string()),
  split_how: z.string(),
  splits: z.record(z.string(), SplitCountsSchema),
  parts: z.record(z.string(), z.record(z.string(), z.number())),
  boxes: z.object({ images_with_boxes: z.number(), total: z.number(), by_category: z.record(z.string(), z.number()) }),
});

/** The detector's scores against the data's truth (kept open: the detector adds measures over time), or why it could not run. */
const CategoryScoreSchema = z.object({ truths: z.number(), predictions: z.number(), precision: num, recall: num });
/** When the detector found the study's boxes: images with no label found, and its expected coverage on real films. */
const DetectorRunSchema = z.object({
  images: z.number(),
  failed: z.number(),
  no_label_images: z.array(z.string()),
  expected_coverage: z
    .object({
      recall: num,
      precision: num,
      labels: z.number(),
      images: z.number(),
      measured_on: z.string(),
      weights_match: z.boolean(),
    })
    .nullable(),
});
export const DetectorSchema = z
  .union([
    z.object({
      images: z.number(),
      truths: z.number(),
      predictions: z.number(),
      precision: num,
      recall: num,
      f1: num,
      mean_iou: num,
      by_category: z.record(z.string(), CategoryScoreSchema),
      lr_accuracy: num,
      lr_total: z.number(),
      lr_read_rate: num,
      category_accuracy: num,
      scored_on: z.string(),
      truth: z.string(),
      failed: z.number(),
      run: DetectorRunSchema.optional(),
    }),
    z.object({ run: DetectorRunSchema }),
    z.object({ error: z.string() }),
  ])
  .nullable();

export const EvidenceSchema = z.object({
  /** Original model's label attention at least twice chance, with its CI above chance. */
  attention: z.boolean().nullable(),
  /** The cover test's verdict is weak or strong. */
  counterfactual: z.boolean().nullable(),
  /** The covered arm's AUC differs from the original's at p < 0.05. */
  auc_change: z.boolean().nullable(),
  /** The labels-only arm's AUC CI lies above 0.5. */
  labels_predict: z.boolean().nullable(),
});

/** What the study concludes about the original model's use of labels, decided once (src/study/verdict.ts). */
export const StudyVerdictSchema = z.object({
  label_reliance: z.enum(['yes', 'no', 'mixed', 'unknown']),
  evidence: EvidenceSchema,
  /** The cover test's own verdict (none | weak | strong), null when the test did not run. */
  counterfactual: z.enum(['none', 'weak', 'strong']).nullable(),
  rule: z.string(),
});

const BurnedInRowSchema = z.object({ found: z.number(), not_found: z.number() });
/** What DICOM headers say against what the detector found (src/labels/dicom-crosscheck.ts); null without DICOM. */
export const DicomChecksSchema = z
  .object({
    images: z.number(),
    burned_in: z.object({ YES: BurnedInRowSchema, NO: BurnedInRowSchema, absent: BurnedInRowSchema }),
    laterality: z.object({
      compared: z.number(),
      agree: z.number(),
      agreement: num,
      no_tag: z.number(),
      no_marker_read: z.number(),
      disagreements: z.array(
        z.object({
          id: z.string(),
          image_laterality: z.enum(['L', 'R']),
          marker: z.enum(['L', 'R']),
          marker_score: z.number().optional(),
        }),
      ),
    }),
  })
  .nullable();

export const StudyConfigSchema = z.looseObject({
  profile: z.string(),
  /** Where the models ran (cpu, cuda, cuda:N) and how many processes trained each (data parallel). */
  device: z.string().optional(),
  world_size: z.number().int().min(1).optional(),
  seed: z.number(),
  margin: z.number(),
  arms: z.array(z.string()),
  /** The data the study read (a folder or a CSV manifest), null for the phantom it generated into data/. */
  data: z.string().nullable(),
  boxes: z.string(),
  split: z.string(),
  train: z.record(z.string(), z.unknown()),
});

export const StudyResultsSchema = z.object({
  schema: z.literal(STUDY_SCHEMA),
  tool: z.string(),
  created: z.string(),
  config: StudyConfigSchema,
  dataset: DatasetSummarySchema,
  detector: DetectorSchema,
  dicom_checks: DicomChecksSchema,
  arms: z.array(ArmResultSchema),
  counterfactual: CounterfactualSummarySchema.extend({ verdict: RelianceVerdictSchema }).nullable(),
  by_category: ByCategorySchema,
  verdict: StudyVerdictSchema,
  versions: z.record(z.string(), z.string()),
  /** Seconds per step, as first run. */
  timings: z.record(z.string(), z.number()),
});
export type StudyResults = z.infer<typeof StudyResultsSchema>;
export type StudyVerdict = z.infer<typeof StudyVerdictSchema>;
export type Evidence = z.infer<typeof EvidenceSchema>;
export type CounterfactualSummary = z.infer<typeof CounterfactualSummarySchema>;
export type Effect = z.infer<typeof EffectSchema>;
export type ByCategory = z.infer<typeof ByCategorySchema>;
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

/** One image of cam/<arm>/attention.json. */
export const CamEntrySchema = z.object({
  id: z.string(),
  label: z.union([z.literal(0), z.literal(1)]).optional(),
  n_boxes: z.number(),
  label_attention: num,
  pointing_hit: z.boolean().optional(),
  box_area_share: z.number().optional(),
  by_category: z.record(z.string(), num).optional(),
  overlay: z.string().optional(),
  map: z.string().optional(),
});
export type CamEntry = z.infer<typeof CamEntrySchema>;
export const AttentionFileSchema = z.array(CamEntrySchema);

/** One image of counterfactual.json. */
export const CounterfactualImageSchema = z.object({
  id: z.string(),
  label: z.union([z.literal(0), z.literal(1)]).optional(),
  p_original: z.number(),
  p_covered: z.number(),
  p_random_cover: z.number(),
});
export type CounterfactualImage = z.infer<typeof CounterfactualImageSchema>;
export const CounterfactualFileSchema = z.object({ images: z.array(CounterfactualImageSchema) });

function describeIssue(path: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : '(top level)';
  return `${path}: ${where}: ${issue?.message ?? 'invalid'}`;
}

/** Parse a JSON file against its schema; the error names the file and the first field that is wrong. */
export async function readJsonFile<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  if (!existsSync(path)) throw new Error(`${path}: not found`);
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(describeIssue(path, parsed.error));
  return parsed.data;
}

/** Validate then write atomically: a writer that drifts from the contract fails here, not in a reader. */
export async function writeJsonFile<S extends z.ZodType>(path: string, schema: S, value: z.infer<S>): Promise<void> {
  // Round-trip first, so what is checked is what a reader will see (NaN becomes null, undefined disappears).
  const parsed = schema.safeParse(JSON.parse(JSON.stringify(value)));
  if (!parsed.success) throw new Error(`writing ${describeIssue(path, parsed.error)}`);
  await writeJsonAtomic(path, value);
}

export async function writeResults(dir: string, results: StudyResults): Promise<void> {
  await writeJsonFile(studyPaths(dir).results, StudyResultsSchema, results);
}

export async function readResults(dir: string): Promise<StudyResults> {
  const path = studyPaths(dir).results;
  if (!existsSync(path)) throw new Error(`${path}: not found; run \`confound study --out ${dir}\` first`);
  const raw = await readJsonFile(path, z.looseObject({ schema: z.unknown().optional() }));
  if (raw.schema !== STUDY_SCHEMA) {
    throw new Error(
      `${path}: written by another version of confound (schema ${String(raw.schema ?? 1)}, this one reads ${STUDY_SCHEMA});` +
        ` rerun \`confound study --out ${dir}\` with the same settings: finished steps are reused`,
    );
  }
  return readJsonFile(path, StudyResultsSchema);
}

/** The data the study read: config.data (relative paths from the study folder), else the phantom in STUDYDIR/data. */
export function studyDataSource(dir: string, results: Pick<StudyResults, 'config'>): string {
  const d = results.config.data;
  return d ? resolve(dir, d) : studyPaths(dir).phantom;
}
