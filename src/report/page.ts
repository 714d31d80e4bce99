import { escapeHtml as esc, isNum } from './format.js';
import { conclusion } from './conclusion.js';
import type { StudyData } from './load.js';
import {
  resultsTable,
  rocSection,
  attentionSection,
  counterfactualSection,
  gallerySection,
  categorySection,
  hasCategoryContent,
  detectorSection,
  dicomSection,
  datasetSection,
  settingsSection,
} from './sections.js';

const CSS = `
:root{--fg:#1d2330;--muted:#667085;--line:#e3e6ec;--bg:#fff;--panel:#f7f8fa;--accent:#1f5fa8;--warn:#9a3412}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 32px 64px}
header{border-bottom:1px solid var(--line);margin-bottom:8px;padding-bottom:12px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:36px 0 10px;padding-top:8px;border-top:1px solid var(--line)}h3{font-size:15px;margin:18px 0 6px}
nav{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px;margin-top:8px}nav a{color:var(--accent);text-decoration:none}
#conclusion h2{border-top:0;margin-top:18px}
.meta,.muted,.note{color:var(--muted)}.note{font-size:13px;margin:6px 0 14px}
.conclusion{background:#f1f6fd;border-left:4px solid var(--accent);padding:12px 18px;border-radius:4px}.conclusion p{margin:6px 0}.conclusion p:first-child{font-weight:600;font-size:16px}
table{border-collapse:collapse;font-size:13.5px;margin:6px 0 4px;width:auto;max-width:100%}
th,td{padding:5px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600;font-size:12.5px;color:#3b4252}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}td.num{white-space:nowrap}.desc{display:inline-block;min-width:180px}
tbody tr:hover{background:#fafbfc}
code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
.figure{overflow-x:auto;margin:8px 0}.figrow{display:grid;grid-template-columns:auto 1fr;gap:28px;align-items:center}@media (max-width:900px){.figrow{grid-template-columns:1fr}}
svg.plot{font:12px system-ui,sans-serif;fill:var(--fg);max-width:100%;height:auto}
svg .legend{fill:#fff;fill-opacity:.9;stroke:#e3e6ec}svg .grid{stroke:#eceef2;stroke-width:1}svg .frame{fill:none;stroke:#b8bec9}svg .chance{stroke:#9aa1ad;stroke-dasharray:4 4}
svg .axis{font-size:12.5px;fill:#3b4252}svg .rowlabel{font-size:12.5px;font-weight:600}svg .small{font-size:11px;fill:#3b4252}svg .muted{fill:var(--muted)}
svg .box{fill:#fff;fill-opacity:.55;stroke:#3b4252}svg .median{stroke:#3b4252;stroke-width:2}svg .whisker{stroke:#3b4252}
svg .ci{stroke:#111;stroke-width:2.5}svg .meanMark{fill:#111;stroke:#fff}svg .chanceTick{stroke:#c2410c;stroke-width:2;stroke-dasharray:3 2}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:14px}
.pair{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px}
.pair .imgs{display:grid;grid-template-columns:1fr 1fr;gap:6px}.pair img{width:100%;image-rendering:auto;display:block;border-radius:3px;background:#000}
.pair span{font-size:12px;color:var(--muted)}.pair figcaption{font-size:12px;margin-top:4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.kpis{display:flex;gap:14px;flex-wrap:wrap;margin:6px 0 10px}.kpi{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:120px}
.kpi b{display:block;font-size:20px}.kpi span{font-size:12px;color:var(--muted)}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:28px}@media (max-width:900px){.cols{grid-template-columns:1fr}}
.tablewrap{overflow-x:auto;max-width:100%}.armname{white-space:nowrap}
.bar{display:inline-block;height:9px;background:#b9cbe6;border-radius:2px;min-width:1px;width:0}
td:has(.bar){width:200px}
.warn{color:var(--warn)}ul.warn{font-size:13px}
@media print{main{max-width:none}h2{break-after:avoid}.pair{break-inside:avoid}}
`;

interface Section {
  id: string;
  title: string;
  body: string;
}

/** The whole report as one self-contained HTML page. */
export async function reportHtml(data: StudyData): Promise<string> {
  const r = data.results;
  const sections: Section[] = [
    { id: 'results', title: 'Arms compared', body: resultsTable(data) },
    { id: 'roc', title: 'ROC curves', body: rocSection(data) },
    { id: 'attention', title: 'Label attention', body: attentionSection(data) },
    { id: 'counterfactual', title: 'Counterfactual cover test', body: counterfactualSection(r.counterfactual) },
    { id: 'gallery', title: 'Where the models look: original vs covered', body: await gallerySection(data) },
  ];
  if (hasCategoryContent(r.by_category))
    sections.push({ id: 'categories', title: 'By label category', body: categorySection(data) });
  sections.push(
    { id: 'detector', title: 'Label detector', body: detectorSection(r.detector) },
    ...(r.dicom_checks
      ? [{ id: 'dicom', title: 'DICOM tags against the labels found', body: dicomSection(r.dicom_checks) }]
      : []),
    { id: 'dataset', title: 'Dataset', body: datasetSection(data) },
    { id: 'settings', title: 'Settings, versions and timings', body: settingsSection(data) },
  );
  if (data.warnings.length)
    sections.push({
      id: 'warnings',
      title: 'Missing or unreadable files',
      body: `<ul class="warn">${data.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`,
    });

  const profile = r.config?.profile,
    seed = r.config?.seed;
  const device = r.config?.device,
    worldSize = r.config?.world_size;
  const arms = (r.arms ?? []).map((a) => a.name).join(', ');
  const meta = [
    r.created ? `created ${esc(r.created)}` : '',
    profile ? `profile ${esc(profile)}` : '',
    isNum(seed) ? `seed ${seed}` : '',
    typeof device === 'string' ? `device ${esc(device)}` : '',
    isNum(worldSize) ? `${worldSize} process${worldSize === 1 ? '' : 'es'}` : '',
    arms ? `arms: ${esc(arms)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>confound study report</title><style>${CSS}</style></head>
<body><main>
<header><h1>Label shortcut study</h1><div class="meta">${meta}</div><div class="meta">${esc(data.dir)}</div>
<nav>${['conclusion', ...sections.map((s) => s.id)].map((id) => `<a href="#${id}">${id === 'conclusion' ? 'Conclusion' : esc(sections.find((s) => s.id === id)!.title)}</a>`).join('')}</nav></header>
<section id="conclusion"><h2>Conclusion</h2><div class="conclusion">${conclusion(r)
    .map((p) => `<p>${esc(p)}</p>`)
    .join('')}</div>
<p class="note">The verdict was decided by the study and stored in results.json with its rule: ${esc(r.verdict.rule)}</p></section>
${sections.map((s) => `<section id="${s.id}"><h2>${esc(s.title)}</h2>${s.body}</section>`).join('\n')}
<footer class="note">Written by ${esc(r.tool ?? 'confound')} ${esc(r.versions?.confound ?? '')}. This file is self-contained: no network access is needed to view it.</footer>
</main></body></html>
`;
}
