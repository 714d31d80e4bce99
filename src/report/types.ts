/**
 * The parts of a study folder the report and the viewer read. Every field is optional: a study stopped half-way,
 * an older results.json, or a run without some arms still renders, with the missing parts said to be missing.
 */
export type Ci = [number, number];

export interface ArmRow {
  name: string;
  description?: string;
  n?: number;
  n_pos?: number;
  auc?: number;
  ci?: Ci;
  auc_study?: number;
  ci_study?: Ci;
  n_study?: number;
  kappa_study?: number;
  p_vs_original?: number | null;
  p_vs_original_study?: number | null;
  diff_vs_original?: number | null;
  val_auc?: number;
  best_epoch?: number;
  label_attention?: number;
  label_attention_ci?: Ci;
  pointing_game?: number;
  pointing_game_ci?: Ci;
  chance?: number;
  by_category?: Record<string, { n?: number; label_attention?: number; ci?: Ci }>;
  gradcam_final_label_attention?: number | null;
  gradcam_final_label_attention_ci?: Ci | null;
}

export interface Effect { mean_abs_delta?: number; flip_rate?: number; mean_delta?: number }

export interface CounterfactualSummary extends Effect {
  n?: number;
  covered?: Effect;
  random_cover?: Effect;
  auc_original?: number;
  auc_covered?: number;
  auc_random_cover?: number;
  z?: number;
  p?: number;
  p_random_cover?: number;
}

export interface SplitCounts { images?: number; studies?: number; patients?: number; abnormal_images?: number; prevalence?: number }

export interface DatasetInfo {
  root?: string;
  format?: string;
  images?: number;
  skipped?: number;
  split_how?: string;
  splits?: Record<string, SplitCounts>;
  parts?: Record<string, Record<string, number>>;
  boxes?: { images_with_boxes?: number; total?: number; by_category?: Record<string, number> };
}

export interface ByCategory {
  arms?: { arm: string; auc?: number; ci?: Ci; p_vs_original?: number | null; share_of_covered_effect?: number | null }[];
  counterfactual?: Record<string, CounterfactualSummary>;
  attention?: Record<string, { n?: number; label_attention?: number; ci?: Ci }>;
  attribution?: {
    attributed_to?: string[];
    rule?: string;
    categories?: Record<string, { share_of_effect?: number | null; net_mean_abs_delta?: number }>;
  } | null;
}

export interface ResultsFile {
  tool?: string;
  created?: string;
  config?: Record<string, unknown>;
  dataset?: DatasetInfo;
  detector?: Record<string, unknown> | null;
  arms?: ArmRow[];
  counterfactual?: CounterfactualSummary | null;
  by_category?: ByCategory;
  versions?: Record<string, string>;
  timings?: Record<string, number>;
}

/** One line of cam/<arm>/attention.json. */
export interface CamEntry {
  id: string;
  label?: 0 | 1;
  n_boxes: number;
  label_attention: number | null;
  pointing_hit?: boolean;
  box_area_share?: number;
  by_category?: Record<string, number | null>;
  overlay?: string;
  map?: string;
}

/** One image of counterfactual.json. */
export interface CounterfactualImage { id: string; label?: 0 | 1; p_original: number; p_covered: number; p_random_cover: number }
