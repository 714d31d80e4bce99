import { bootstrapCi, mean } from '../stats/index.js';
import type { CamImageResult } from './run-cam.js';

export interface AttentionSummary {
  /** Images with at least one label box and a non-zero map. */
  n: number;
  label_attention: number;
  label_attention_ci: [number, number];
  pointing_game: number;
  pointing_game_ci: [number, number];
  /** Mean share of the image inside the boxes: the attention of a map spread evenly. */
  chance: number;
  by_category: Record<string, { n: number; label_attention: number; ci: [number, number] }>;
}

/** Mean label attention and pointing-game rate over images with boxes, each with a seeded bootstrap 95% CI. */
export function summariseAttention(results: readonly CamImageResult[], seed = 0): AttentionSummary {
  const used = results.filter((r) => r.n_boxes > 0 && Number.isFinite(r.label_attention));
  if (used.length === 0) {
    // No measurable image (no boxes, or a model whose maps are all zero): report that, do not stop the study.
    return {
      n: 0,
      label_attention: NaN,
      label_attention_ci: [NaN, NaN],
      pointing_game: NaN,
      pointing_game_ci: [NaN, NaN],
      chance: NaN,
      by_category: {},
    };
  }
  const att = bootstrapCi(
    used.map((r) => r.label_attention),
    mean,
    { seed: `${seed}:attention` },
  );
  const hit = bootstrapCi(
    used.map((r) => (r.pointing_hit ? 1 : 0)),
    mean,
    { seed: `${seed}:pointing` },
  );
  const byCategory: AttentionSummary['by_category'] = {};
  const cats = [...new Set(used.flatMap((r) => Object.keys(r.by_category)))].sort();
  for (const cat of cats) {
    const vals = used.map((r) => r.by_category[cat]).filter((v): v is number => Number.isFinite(v));
    if (vals.length === 0) continue;
    const ci = bootstrapCi(vals, mean, { seed: `${seed}:${cat}` });
    byCategory[cat] = { n: vals.length, label_attention: ci.estimate, ci: ci.ci };
  }
  return {
    n: used.length,
    label_attention: att.estimate,
    label_attention_ci: att.ci,
    pointing_game: hit.estimate,
    pointing_game_ci: hit.ci,
    chance: mean(Float64Array.from(used, (r) => r.box_area_share)),
    by_category: byCategory,
  };
}
