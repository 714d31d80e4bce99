import { escapeHtml as esc, flatten, fmt, isNum, pct, plain, pval, withCi, duration } from './format.js';
import { rocCurve, areaUnder } from './roc.js';
import { armColor, rocSvg, stripSvg, dotCiSvg, type RocSeries, type DotCiRow } from './svg.js';
import { dataUri, pickPairs } from './gallery.js';
import type { StudyData } from './load.js';
import type { ArmResult, ByCategory, CounterfactualSummary, Effect, StudyResults } from '../study/index.js';

/** A table; cells whose header is listed in `numeric` are right-aligned with tabular figures. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
  id?: string,
): string {
  const cls = (i: number) => (numeric.includes(i) ? ' class="num"' : '');
  const head = headers.some((h) => h !== '')
    ? `<thead><tr>${headers.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr></thead>`
    : '';
  return (
    `<div class="tablewrap"><table${id ? ` id="${id}"` : ''}>${head}` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`
  );
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
const swatch = (name: string, i: number) =>
  `<span class="armname"><span class="swatch" style="background:${armColor(name, i)}"></span>${esc(name)}</span>`;

const armsOf = (data: StudyData): ArmResult[] => data.results.arms;

export function resultsTable(data: StudyData): string {
  const rows = armsOf(data).map((a, i) => {
    // Counted from the score file: in results.json "n" may be the attention summary's count of images with boxes.
    const sc = data.scores.get(a.name);
    const n = sc ? sc.length : a.n,
      pos = sc ? sc.filter((r) => r.label === 1).length : a.n_pos;
    return [
      swatch(a.name, i),
      `<span class="desc">${esc(a.description ?? '')}</span>`,
      isNum(n) ? `${n}${isNum(pos) ? ` (${pos})` : ''}` : '–',
      withCi(a.auc, a.ci, 3),
      withCi(a.auc_study, a.ci_study, 3) + (isNum(a.n_study) ? ` <span class="muted">n=${a.n_study}</span>` : ''),
      fmt(a.kappa_study, 3),
      a.name === 'original' ? '—' : pval(a.p_vs_original),
      a.name === 'original' ? '—' : pval(a.p_vs_original_study),
      fmt(a.val_auc, 3),
      isNum(a.best_epoch) ? String(a.best_epoch) : '–',
    ];
  });
  return (
    table(
      [
        'Arm',
        'What the model saw',
        'Test images (abnormal)',
        'AUC (95% CI)',
        'Study AUC (95% CI)',
        'Study κ',
        'p vs original',
        'p, study level',
        'Val. AUC',
        'Best epoch',
      ],
      rows,
      range(2, 10),
      'results-table',
    ) +
    '<p class="note">AUC CIs by DeLong; p-values from the paired DeLong test against the original arm on the same test images; study-level scores are the mean over each study\'s images; κ is Cohen\'s kappa of study-level decisions at 0.5.</p>'
  );
}

export function rocSection(data: StudyData): string {
  const series: RocSeries[] = [];
  const problems: string[] = [];
  data.arms.forEach((name, i) => {
    const rows = data.scores.get(name);
    if (!rows) return;
    try {
      const points = rocCurve(
        rows.map((r) => r.label),
        rows.map((r) => r.score),
      );
      series.push({ name, color: armColor(name, i), points, auc: areaUnder(points) });
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
    }
  });
  if (series.length === 0) return '<p class="muted">No score files, so no ROC curves.</p>';
  const sizes = series.map((s) => `${esc(s.name)} ${data.scores.get(s.name)!.length}`).join(', ');
  const text =
    `<div><p>Image-level ROC curves computed from <code>scores/&lt;arm&gt;.csv</code> (test images: ${sizes}). The AUC in the legend is the area under the plotted curve; it equals the table's AUC when the score files and results.json come from the same run.</p>` +
    '<p class="note">The dashed diagonal is a model that guesses. A curve near the top-left corner separates normal from abnormal well; an arm whose curve falls towards the diagonal when labels are covered was using the labels.</p></div>';
  return `<div class="figrow"><div class="figure">${rocSvg(series)}</div>${text}</div>${problems.map((p) => `<p class="warn">${esc(p)}</p>`).join('')}`;
}

/** One sentence on how attention was measured, from results.json's config.attention. */
function measureText(m: unknown): string {
  const a = (m ?? {}) as { method?: string; layer?: string; baseline?: string; target?: string };
  if (!a.method) return 'Label attention: share of positive Grad-CAM mass inside the label boxes.';
  const name = a.method === 'gradxact' ? 'gradient × activation' : a.method === 'gradcam' ? 'Grad-CAM' : a.method;
  return (
    `Label attention: share of the positive ${esc(name)} mass inside the label boxes, at layer <code>${esc(a.layer ?? 'final')}</code>` +
    `${a.baseline === 'black' ? ', measured against an empty (black) film' : ''}, for each image's ${a.target === 'predicted' ? 'predicted class' : `${esc(a.target ?? 'abnormal')} class`}. ` +
    "The last column is plain Grad-CAM at the final layer, as in the paper's pictures; in a small network each of its cells sees the whole image, so it localises labels poorly."
  );
}

export function attentionSection(data: StudyData): string {
  const arms = armsOf(data).filter((a) => data.attention.has(a.name) || isNum(a.label_attention));
  if (arms.length === 0) return '<p class="muted">No label attention was measured.</p>';
  const how = measureText(data.results.config?.attention);
  const seed = Number(data.results.config?.seed ?? 0) || 0;
  const strip = stripSvg(
    arms.map((a) => ({
      name: a.name,
      color: armColor(a.name, data.arms.indexOf(a.name)),
      values: (data.attention.get(a.name) ?? [])
        .filter((e) => e.n_boxes > 0)
        .map((e) => e.label_attention)
        .filter(isNum),
      mean: a.label_attention,
      ci: a.label_attention_ci,
      chance: a.attention_chance,
    })),
    'Share of saliency mass inside label boxes (per test image)',
    seed,
  );
  const rows = arms.map((a, i) => {
    const per = (data.attention.get(a.name) ?? []).filter((e) => e.n_boxes > 0 && isNum(e.label_attention));
    return [
      swatch(a.name, i),
      String(per.length || '–'),
      withCi(a.label_attention, a.label_attention_ci, 1, true),
      pct(a.attention_chance),
      isNum(a.label_attention) && isNum(a.attention_chance) && a.attention_chance > 0
        ? `${(a.label_attention / a.attention_chance).toFixed(1)}×`
        : '–',
      withCi(a.pointing_game, a.pointing_game_ci, 1, true),
      isNum(a.gradcam_final_label_attention)
        ? withCi(a.gradcam_final_label_attention, a.gradcam_final_label_attention_ci ?? undefined, 1, true)
        : '–',
    ];
  });
  return (
    `<p>${how}</p><div class="figure">${strip}</div><p class="note">Dots: images; box: quartiles; ◆ and bar: mean with bootstrap 95% CI; dashed tick: chance (mean share of the image the boxes cover).</p>` +
    table(
      [
        'Arm',
        'Images with boxes',
        'Label attention (95% CI)',
        'Chance',
        'Attention / chance',
        'Pointing game: peak on a label (95% CI)',
        'Plain Grad-CAM, final layer (95% CI)',
      ],
      rows,
      [1, 2, 3, 4, 5, 6],
      'attention-table',
    )
  );
}

function effectRow(name: string, e: Effect | undefined, auc: unknown, p: unknown): string[] {
  return [
    esc(name),
    fmt(e?.mean_abs_delta, 3),
    pct(e?.flip_rate),
    isNum(e?.mean_delta) ? (e!.mean_delta! >= 0 ? '+' : '') + e!.mean_delta!.toFixed(3) : '–',
    fmt(auc, 3),
    pval(p),
  ];
}

export function counterfactualSection(cf: StudyResults['counterfactual']): string {
  if (!cf) return '<p class="muted">The counterfactual test was not run.</p>';
  const covered = cf.covered,
    control = cf.random_cover;
  const rows = [
    [esc('original images'), '–', '–', '–', fmt(cf.auc_original, 3), '—'],
    effectRow('labels covered', covered, cf.auc_covered, cf.p),
    effectRow('random-cover control', control, cf.auc_random_cover, cf.p_random_cover),
  ];
  return (
    `<p>The original model scored each of the ${isNum(cf.n) ? cf.n : '?'} test images that carry a label three times, without retraining: as it is, with its labels blacked out, and with as many black boxes of the same sizes placed away from the labels (control).</p>` +
    table(
      ['Test images', 'Mean |Δp|', 'Decisions flipped at 0.5', 'Mean Δp', 'AUC', 'p vs original images'],
      rows,
      [1, 2, 3, 4, 5],
      'counterfactual-table',
    )
  );
}

export async function gallerySection(data: StudyData, limit = 12): Promise<string> {
  const pairs = pickPairs(data, limit);
  if (pairs.length === 0)
    return '<p class="muted">No test image has a Grad-CAM overlay from both the original and the covered model.</p>';
  const cards: string[] = [];
  for (const p of pairs) {
    const [a, b] = await Promise.all([dataUri(p.original.file), dataUri(p.covered.file)]);
    cards.push(
      `<figure class="pair"><div class="imgs"><div><img src="${a}" alt="original model, ${esc(p.id)}"><span>original · ${pct(p.original.attention)}</span></div>` +
        `<div><img src="${b}" alt="covered model, ${esc(p.id)}"><span>covered · ${pct(p.covered.attention)}</span></div></div>` +
        `<figcaption title="${esc(p.id)}">${esc(p.id.length > 44 ? `…${p.id.slice(-43)}` : p.id)}${p.label !== undefined ? ` · ${p.label ? 'abnormal' : 'normal'}` : ''} ${Number.isNaN(p.shift) ? '' : ` · shift ${p.shift >= 0 ? '+' : ''}${(p.shift * 100).toFixed(1)} pts`}</figcaption></figure>`,
    );
  }
  return `<p class="note">The ${pairs.length} test images whose label attention differs most between the original and the covered model; Grad-CAM overlays at model input size, label boxes outlined in cyan; percentages are each model's label attention.</p><div class="gallery">${cards.join('')}</div>`;
}

export function hasCategoryContent(b: ByCategory | undefined): boolean {
  return (
    !!b &&
    ((b.arms?.length ?? 0) > 0 ||
      Object.keys(b.counterfactual ?? {}).length > 0 ||
      Object.keys(b.attention ?? {}).length > 0)
  );
}

export function categorySection(data: StudyData): string {
  const b = data.results.by_category;
  if (!hasCategoryContent(b)) return '';
  const cats = [
    ...new Set([
      ...Object.keys(b!.attention ?? {}),
      ...Object.keys(b!.counterfactual ?? {}),
      ...(b!.arms ?? []).map((a) => a.arm.replace(/^cover-/, '')),
    ]),
  ].sort();
  const rows = cats.map((cat) => {
    const att = b!.attention?.[cat];
    const cf: CounterfactualSummary | undefined = b!.counterfactual?.[cat];
    const covered = cf?.covered,
      control = cf?.random_cover;
    const a = b!.arms?.find((x) => x.arm === `cover-${cat}`);
    return [
      esc(cat),
      isNum(att?.n) ? String(att!.n) : '–',
      withCi(att?.label_attention, att?.ci, 1, true),
      fmt(covered?.mean_abs_delta, 3),
      fmt(control?.mean_abs_delta, 3),
      pct(covered?.flip_rate),
      cf && isNum(cf.auc_covered) ? `${fmt(cf.auc_covered, 3)} (p ${pval(cf.p)})` : '–',
      a ? withCi(a.auc, a.ci, 3) : '–',
      a ? pval(a.p_vs_original) : '–',
      a && isNum(a.share_of_covered_effect) ? pct(a.share_of_covered_effect, 0) : '–',
    ];
  });
  const plot: DotCiRow[] = cats.flatMap((cat) => {
    const att = b!.attention?.[cat];
    const covered = b!.counterfactual?.[cat]?.covered,
      control = b!.counterfactual?.[cat]?.random_cover;
    return [
      { group: cat, label: 'label attention', value: att?.label_attention, ci: att?.ci, color: armColor('original') },
      { group: cat, label: 'covered |Δp|', value: covered?.mean_abs_delta, color: armColor('covered') },
      { group: cat, label: 'control |Δp|', value: control?.mean_abs_delta, color: armColor('random-cover') },
    ];
  });
  const withArms = (b!.arms?.length ?? 0) > 0;
  const at = b!.attribution;
  rows.forEach((r, i) => r.splice(6, 0, pct(at?.categories?.[cats[i]]?.share_of_effect ?? undefined, 0)));
  const headers = [
    'Category',
    'Images',
    'Attention, original model (95% CI)',
    'Covered |Δp|',
    'Control |Δp|',
    'Flips',
    'Share of all-labels effect',
    'AUC, covered images',
    'cover-<category> arm AUC (95% CI)',
    'p vs original',
    'Share of covered effect',
  ];
  const keep = withArms ? headers.length : 8;
  const verdict = at
    ? `<p><strong>${at.attributed_to?.length ? `The label effect is attributed to ${esc(at.attributed_to.join(' and '))}.` : 'No single label category accounts for the label effect.'}</strong> <span class="note">${esc(at.rule ?? '')}</span></p>`
    : '';
  return (
    verdict +
    table(
      headers.slice(0, keep),
      rows.map((r) => r.slice(0, keep)),
      range(1, keep),
      'category-table',
    ) +
    (withArms
      ? ''
      : '<p class="note">No per-category arms were trained (add cover-laterality / cover-technologist to --arms).</p>') +
    `<div class="figure">${dotCiSvg(plot, 'Original model: label attention and counterfactual |Δp| per label category')}</div>`
  );
}

/** The detector's summary, whatever fields it has: precision, recall and F1 first; when it found the study's boxes, its expected coverage and the images it found no label on. */
export function detectorSection(det: StudyResults['detector']): string {
  if (!det) return '<p class="muted">No detector was used (boxes were given), or it was not evaluated.</p>';
  const { run, ...scores } = det as typeof det & { run?: DetectorRunResult };
  const flat = flatten(scores);
  const key = (k: string) => /(^|\.)(precision|recall|f1)$/.test(k);
  const head = flat.filter(([k]) => key(k) && !k.includes('by_category'));
  const headline = head.length
    ? `<div class="kpis">${head.map(([k, v]) => `<div class="kpi"><b>${isNum(v) ? pct(v) : esc(plain(v))}</b><span>${esc(k)}</span></div>`).join('')}</div>`
    : '';
  const scored = flat.length
    ? headline +
      table(
        ['Field', 'Value'],
        flat.map(([k, v]) => [esc(k), esc(plain(v))]),
        [1],
        'detector-table',
      )
    : '';
  return (run ? detectorRunSection(run) : '') + scored;
}

type DetectorRunResult = NonNullable<Extract<NonNullable<StudyResults['detector']>, { run: unknown }>['run']>;

/** Images listed in full up to this many; beyond, the first ones and a count (the viewer filters to all of them). */
const NO_LABEL_LISTED = 40;

/** The detector found the study's boxes: what coverage to expect of it, and where it found nothing. */
export function detectorRunSection(run: DetectorRunResult): string {
  const e = run.expected_coverage;
  const expected = !e
    ? '<p class="muted">No expected coverage is known for the detector\'s weights.</p>'
    : !e.weights_match
      ? "<p><strong>The detector's weights are not the shipped ones</strong>: no coverage is known for them; check them with <code>confound detect --eval</code> on a few hand-drawn boxes of this data.</p>"
      : `<p>The study's label boxes are the detector's. <strong>Expected coverage on real films: ${pct(e.recall, 0)} of labels</strong> (a label counts when 80% of it is covered), ` +
        `${pct(e.precision, 0)} of its boxes on a label; measured on ${esc(e.measured_on)}, ${plain(e.images)} images, ${plain(e.labels)} labels. ` +
        'Labels it misses stay visible in the "covered" arm: check a sample of images, and correct the boxes in <code>confound view</code>.</p>';
  const n = run.no_label_images.length;
  const listed = run.no_label_images
    .slice(0, NO_LABEL_LISTED)
    .map((id) => `<li><code>${esc(id)}</code></li>`)
    .join('');
  const none =
    n === 0
      ? `<p>It found a label on every one of the ${plain(run.images)} images.</p>`
      : `<p><strong>No label found on ${plain(n)} of ${plain(run.images)} images</strong>` +
        `${run.failed ? ` (${plain(run.failed)} could not be read)` : ''}; in <code>confound view</code>, tick "only images with no label found".</p>` +
        `<ul class="no-label">${listed}</ul>${n > NO_LABEL_LISTED ? `<p class="note">… and ${plain(n - NO_LABEL_LISTED)} more.</p>` : ''}`;
  return expected + none;
}

export function datasetSection(data: StudyData): string {
  const d = data.results.dataset;
  if (!d) return '<p class="muted">No dataset summary in results.json.</p>';
  const splits = Object.entries(d.splits ?? {}).map(([name, s]) => [
    esc(name),
    plain(s.images),
    plain(s.studies),
    plain(s.patients),
    plain(s.abnormal_images),
    pct(s.prevalence),
  ]);
  const splitNames = Object.keys(d.splits ?? {});
  const parts = Object.entries(d.parts ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([part, per]) => [esc(part), ...splitNames.map((s) => plain(per[s] ?? 0))]);
  const lo = data.results.arms?.find((a) => a.name === 'labels-only');
  const facts = [
    ['Folder', esc(d.root ?? data.dataSource)],
    ['Format', esc(d.format ?? '–')],
    ['Images', plain(d.images)],
    ['Skipped (unreadable)', plain(d.skipped)],
    [
      'Left out of every arm (an arm could not be made)',
      d.excluded_from_arms
        ? `${d.excluded_from_arms}: ${esc(d.excluded_ids.slice(0, 10).join(', '))}${d.excluded_ids.length > 10 ? ', …' : ''}`
        : '0',
    ],
    ['Split', esc(d.split_how ?? '–')],
    ['Images with label boxes', plain(d.boxes?.images_with_boxes)],
    ['Label boxes', plain(d.boxes?.total)],
    [
      'Boxes by category',
      esc(
        Object.entries(d.boxes?.by_category ?? {})
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '–',
      ),
    ],
    ['Labels-only AUC (95% CI)', lo ? withCi(lo.auc, lo.ci, 3) : 'not run'],
  ];
  return (
    table(['', ''], facts, [], 'dataset-facts') +
    (splits.length
      ? `<h3>Splits</h3>${table(['Split', 'Images', 'Studies', 'Patients', 'Abnormal images', 'Prevalence'], splits, [1, 2, 3, 4, 5], 'splits-table')}`
      : '') +
    (parts.length
      ? `<h3>Images per body part</h3>${table(['Part', ...splitNames], parts, range(1, splitNames.length + 1), 'parts-table')}`
      : '')
  );
}

export function settingsSection(data: StudyData): string {
  const cfg = flatten(data.results.config ?? {}).map(([k, v]) => [esc(k), `<code>${esc(plain(v))}</code>`]);
  const ver = Object.entries(data.results.versions ?? {}).map(([k, v]) => [esc(k), `<code>${esc(v)}</code>`]);
  const timings = Object.entries(data.results.timings ?? {});
  const total = timings.reduce((s, [, v]) => s + (isNum(v) ? v : 0), 0);
  const max = Math.max(1e-9, ...timings.map(([, v]) => (isNum(v) ? v : 0)));
  const trows = timings.map(([k, v]) => [
    esc(k),
    duration(v),
    `<span class="bar" style="width:${isNum(v) ? ((v / max) * 100).toFixed(1) : 0}%"></span>`,
  ]);
  if (timings.length) trows.push(['<b>total</b>', `<b>${duration(total)}</b>`, '']);
  return (
    `<div class="cols"><div><h3>Settings</h3>${cfg.length ? table(['Setting', 'Value'], cfg, [], 'settings-table') : '<p class="muted">none recorded</p>'}</div>` +
    `<div><h3>Versions</h3>${ver.length ? table(['Component', 'Version'], ver, [], 'versions-table') : '<p class="muted">none recorded</p>'}` +
    `<h3>Timings</h3>${timings.length ? table(['Step', 'Time', ''], trows, [1], 'timings-table') : '<p class="muted">none recorded</p>'}<p class="note">Steps done in an earlier run keep their first timing.</p></div></div>`
  );
}

/** DICOM's own tags against what the detector found: Burned In Annotation, and Image Laterality vs the marker read. */
export function dicomSection(d: StudyResults['dicom_checks']): string {
  if (!d) return '';
  const b = d.burned_in;
  const rows = (['YES', 'NO', 'absent'] as const).map((k) => [esc(k), plain(b[k].found), plain(b[k].not_found)]);
  const l = d.laterality;
  const dis = l.disagreements.map((x) => [esc(x.id), esc(x.image_laterality), esc(x.marker), fmt(x.marker_score, 2)]);
  return (
    `<p>${d.images} DICOM images. A file tagged Burned In Annotation NO that carries labels cannot be routed around de-identification by its tag.</p>` +
    table(['Burned In Annotation', 'Labels found', 'No label found'], rows, [1, 2], 'burned-in-table') +
    `<p>Image Laterality against the L/R read from the marker: ${l.compared} images compared, ${l.agree} agree (${pct(l.agreement)}); ` +
    `${l.no_tag} without an L/R tag, ${l.no_marker_read} without a marker read.` +
    `${dis.length ? ' A disagreement is a wrong marker or a wrong tag: a patient-safety finding to check by hand.' : ''}</p>` +
    (dis.length
      ? table(['Image', 'Image Laterality', 'Marker read', 'Marker score'], dis, [3], 'laterality-disagreements')
      : '')
  );
}
