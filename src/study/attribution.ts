/**
 * Which label category carries the shortcut. Covering one category alone is compared with covering every
 * label: the share of the all-labels effect that one category reproduces, net of its random-cover control.
 * A share near 1 means that category is the shortcut; near 0, covering it changes nothing beyond black boxes.
 */

export interface CoverEffect {
  covered: { mean_abs_delta: number; flip_rate: number };
  random_cover: { mean_abs_delta: number; flip_rate: number };
}

export interface CategoryShare {
  /** Net |delta p| of covering this category: covered minus its own random-cover control. */
  net_mean_abs_delta: number;
  /** net_mean_abs_delta over the net effect of covering every label. */
  share_of_effect: number | null;
  /** Per-category arm, when trained: its AUC change over the covered arm's (both against the original). */
  share_of_covered_auc_gain?: number | null;
}

export interface Attribution {
  /** Net |delta p| of covering every label. */
  all_net_mean_abs_delta: number;
  categories: Record<string, CategoryShare>;
  /** Categories that alone reproduce at least MAJORITY of the effect, largest share first (empty: none does). */
  attributed_to: string[];
  rule: string;
}

/** A category is named only when it alone reproduces at least this share of the all-labels effect. */
export const MAJORITY = 0.5;
/** Below this net |delta p| (5 points of probability, on average) there is no label effect worth attributing. */
export const MIN_EFFECT = 0.05;

const net = (e: CoverEffect) => e.covered.mean_abs_delta - e.random_cover.mean_abs_delta;

export function attributeEffect(
  all: CoverEffect,
  perCategory: Record<string, CoverEffect>,
  armShares: Record<string, number | null> = {},
): Attribution {
  const total = net(all);
  const categories: Record<string, CategoryShare> = {};
  for (const [cat, e] of Object.entries(perCategory)) {
    const n = net(e);
    categories[cat] = { net_mean_abs_delta: n, share_of_effect: total >= MIN_EFFECT ? n / total : null };
    if (cat in armShares) categories[cat].share_of_covered_auc_gain = armShares[cat];
  }
  const ranked = Object.entries(categories)
    .filter(([, c]) => c.share_of_effect !== null && c.share_of_effect >= MAJORITY)
    .sort((a, b) => b[1].share_of_effect! - a[1].share_of_effect!);
  return {
    all_net_mean_abs_delta: total,
    categories,
    attributed_to: ranked.map(([cat]) => cat),
    rule:
      `a category is named when covering it alone reproduces >= ${MAJORITY * 100}% of the net |delta p| of covering every label ` +
      `(each net of its random-cover control), and the all-labels effect is at least ${MIN_EFFECT}`,
  };
}
