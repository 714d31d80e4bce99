import type { AuditSummary } from './run-audit.js';

const CSS = `
body{margin:0;color:#1d2330;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
main{max-width:1080px;margin:0 auto;padding:28px 32px 64px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;padding-top:8px;border-top:1px solid #e3e6ec}
.muted{color:#667085}.note{color:#667085;font-size:13px}
.verdict{border-left:4px solid #1f5fa8;background:#f1f6fd;padding:12px 18px;border-radius:4px}
.verdict.strong{border-color:#b42318;background:#fef3f2}.verdict.weak{border-color:#b54708;background:#fffaeb}
.verdict b{font-size:18px}
table{border-collapse:collapse;font-size:13.5px;margin:6px 0}
th,td{padding:5px 10px;border-bottom:1px solid #e3e6ec;text-align:left}th{background:#f7f8fa;font-size:12.5px}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{font:12.5px ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px}
figure{margin:0;background:#f7f8fa;border:1px solid #e3e6ec;border-radius:6px;padding:6px}
figure img{width:100%;display:block;image-rendering:pixelated}figcaption{font-size:12px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
`;

const esc = (s: unknown) =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number | undefined, d = 3) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const pv = (p: number | undefined) =>
  p === undefined || !Number.isFinite(p) ? '–' : p < 1e-4 ? '&lt; 0.0001' : p.toPrecision(2);
/** "p = 0.012" or "p &lt; 0.0001". */
const pEq = (p: number | undefined) => (p !== undefined && p < 1e-4 ? `p ${pv(p)}` : `p = ${pv(p)}`);

function table(head: string[], rows: string[][], numeric = true): string {
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${numeric && i > 0 ? ' class="num"' : ''}>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

const MEANING = {
  strong:
    'The model reads the burned-in labels: covering them changes its answers far more than covering the same area elsewhere.',
  weak: 'The labels sway the model measurably, but the effect is small.',
  none: 'No evidence that the model reads the labels: covering them changes its answers no more than covering other places.',
} as const;

/** The audit as one self-contained HTML page (overlays embedded as data URIs when given). */
export function auditReportHtml(s: AuditSummary, images: ReadonlyMap<string, string> = new Map()): string {
  const v = s.verdict,
    cf = s.counterfactual;
  const parts: string[] = [];
  parts.push(
    `<h1>Label-reliance audit</h1><p class="muted">Model <code>${esc(s.model.model)}</code> on <code>${esc(s.data.path)}</code> (${esc(s.data.format)}, ${s.data.with_boxes} of ${s.data.records} images with label boxes, boxes from the ${s.data.box_source})</p>`,
  );
  parts.push(
    `<div class="verdict ${v.reliance}"><b>Reliance on labels: ${v.reliance}${v.conclusive ? '' : ' (not conclusive)'}</b><p>${MEANING[v.reliance]}</p><ul>${v.evidence.map((e) => `<li>${esc(e)}</li>`).join('')}</ul></div>`,
  );
  parts.push('<h2>Counterfactual cover test</h2>');
  parts.push(
    table(
      ['', 'mean |Δp|', 'flip rate', 'mean Δp', 'AUC', 'DeLong p vs original'],
      [
        [
          'labels covered',
          num(cf.covered.mean_abs_delta),
          num(cf.covered.flip_rate),
          num(cf.covered.mean_delta),
          num(cf.auc_covered),
          pv(cf.p),
        ],
        [
          `control covers (${esc(cf.control)})`,
          num(cf.random_cover.mean_abs_delta),
          num(cf.random_cover.flip_rate),
          num(cf.random_cover.mean_delta),
          num(cf.auc_random_cover),
          pv(cf.p_random_cover),
        ],
        ['original', '', '', '', num(cf.auc_original), ''],
      ],
    ),
  );
  parts.push(
    `<p class="note">Net effect: per image, |Δ logit covered| − |Δ logit control|, averaged and divided by the SD of the original logits (${num(v.scale)}): ${num(v.net_effect)} (${Math.round(100 * v.rule.level)}% bootstrap CI ${num(v.ci[0])} to ${num(v.ci[1])}); one-sided Wilcoxon signed-rank ${pEq(v.test.p)} over ${v.test.n} non-zero pairs. ${cf.n} images${cf.no_room.length ? `; ${cf.no_room.length} skipped (no room for a control box)` : ''}.</p>`,
  );
  const att: string[][] = [];
  if (s.occlusion)
    att.push([
      `occlusion (window ${s.occlusion.window}, stride ${s.occlusion.stride})`,
      String(s.occlusion.n),
      num(s.occlusion.label_attention),
      `${num(s.occlusion.ci[0])}–${num(s.occlusion.ci[1])}`,
      num(s.occlusion.chance),
      num(s.occlusion.ratio, 1),
      pv(s.occlusion.p),
      num(s.occlusion.pointing_game, 2),
    ]);
  if (s.gradient)
    att.push([
      `input × gradient, windowed (window ${s.gradient.window}, stride ${s.gradient.stride})`,
      String(s.gradient.n),
      num(s.gradient.label_attention),
      `${num(s.gradient.ci[0])}–${num(s.gradient.ci[1])}`,
      num(s.gradient.chance),
      num(s.gradient.ratio, 1),
      pv(s.gradient.p),
      num(s.gradient.pointing_game, 2),
    ]);
  if (s.gradcam)
    att.push([
      `Grad-CAM (<code>${esc(s.gradcam.layer)}</code>, predicted class)`,
      String(s.gradcam.n),
      num(s.gradcam.label_attention),
      `${num(s.gradcam.ci[0])}–${num(s.gradcam.ci[1])}`,
      num(s.gradcam.chance),
      num(s.gradcam.ratio, 1),
      pv(s.gradcam.p),
      num(s.gradcam.pointing_game, 2),
    ]);
  if (s.cam)
    att.push([
      `CAM (<code>${esc(s.cam.output)}</code>)`,
      String(s.cam.n),
      num(s.cam.label_attention),
      `${num(s.cam.ci[0])}–${num(s.cam.ci[1])}`,
      num(s.cam.chance),
      num(s.cam.ratio, 1),
      pv(s.cam.p),
      num(s.cam.pointing_game, 2),
    ]);
  if (att.length) {
    parts.push('<h2>Label attention</h2>');
    parts.push(
      table(
        [
          'map',
          'images',
          'share on labels',
          '95% CI',
          'chance (box area)',
          '× chance',
          'p (> chance)',
          'pointing game',
        ],
        att,
      ),
    );
    parts.push(
      '<p class="note">Share of the saliency mass inside the label boxes (occlusion: |Δ logit| per window; input × gradient: |Σ (x − black) · ∂logit/∂x| per window, the occlusion map to first order; CAM and Grad-CAM: their positive part), against the share of the input the boxes cover.</p>',
    );
  }
  const figs = s.overlays.filter((o) => images.has(o.file));
  if (figs.length) {
    parts.push(
      `<h2>Maps</h2><div class="gallery">${figs.map((o) => `<figure><img alt="${esc(o.kind)} map of ${esc(o.id)}" src="${images.get(o.file)}"><figcaption>${esc(o.kind)} · ${esc(o.id)}</figcaption></figure>`).join('')}</div>`,
    );
  }
  const r = v.rule;
  const pp = s.model.preprocess;
  parts.push('<h2>Settings</h2>');
  parts.push(
    table(
      ['setting', 'value'],
      [
        ['input', `<code>${esc(s.model.input)}</code> [${s.model.input_shape.map(esc).join(', ')}]`],
        [
          'preprocessing',
          `${pp.centerCrop ? `centre square of ${pp.centerCrop} × the shorter side, ` : ''}${pp.resize} to ${pp.size}×${pp.size}, ${pp.channels} channel(s), [0, 1] → [${(pp.range ?? [0, 1]).join(', ')}], (x − [${pp.mean.join(', ')}]) / [${pp.std.join(', ')}] <span class="muted">(${esc(s.model.preprocess_source)})</span>`,
        ],
        [
          'score',
          `<code>${esc(s.model.output)}</code>[${s.model.output_index}], ${esc(s.model.activation)} (${esc(s.model.activation_reason)})`,
        ],
        [
          'cover',
          `black boxes, margin ${s.settings.margin} px, seed ${s.settings.seed}, control ${esc(s.settings.control)}${s.settings.categories ? `, categories ${esc(s.settings.categories.join(', '))}` : ''}`,
        ],
        [
          'verdict rule',
          `${esc(r.name)}: strong when the net effect ≥ ${r.strong} and its ${Math.round(100 * r.level)}% CI lies above ${r.negligible}; weak when the CI lies above ${r.negligible}; none otherwise (conclusive when the CI lies below ${r.negligible})`,
        ],
        ['skipped files', String(s.data.skipped.length + s.data.detect_failed)],
      ],
      false,
    ),
  );
  return `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>confound audit: ${v.reliance}</title><style>${CSS}</style><main>${parts.join('\n')}</main></html>\n`;
}
