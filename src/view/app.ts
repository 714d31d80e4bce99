/** The viewer's page and style, served from memory; its script is client/app.ts, compiled by tsc (no framework, no network). */

export const APP_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'">
<title>confound viewer</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/app.css"></head>
<body>
<header><h1>confound viewer</h1><span id="studydir" class="muted"></span><a id="reportlink" href="/files/study/report.html" target="_blank">report</a><span id="banner" class="muted"></span></header>
<div id="layout">
<aside id="side">
  <div class="controls">
    <label>Sort by <select id="sort"></select></label>
    <label class="inline"><input type="checkbox" id="asc"> ascending</label>
    <label>Label <select id="label"><option value="all">all</option><option value="1">abnormal</option><option value="0">normal</option></select></label>
    <label>Min. label attention (original) <span id="minAttV">0%</span><input type="range" id="minAtt" min="0" max="1" step="0.01" value="0"></label>
    <label>Min. counterfactual |Δp| <span id="minDpV">0.00</span><input type="range" id="minDp" min="0" max="1" step="0.01" value="0"></label>
    <label>Min. disagreement between arms <span id="minDisV">0.00</span><input type="range" id="minDis" min="0" max="1" step="0.01" value="0"></label>
    <label class="inline"><input type="checkbox" id="onlyOverlay"> only images with overlays</label>
    <label class="inline" id="noLabelFilter"><input type="checkbox" id="onlyNoLabel"> only images with no label found</label>
    <input type="search" id="q" placeholder="search image id">
    <div id="count" class="muted"></div>
  </div>
  <ol id="list"></ol>
</aside>
<main id="main">
  <section id="editor">
    <div class="toolbar">
      <label>New box <select id="cat"></select></label>
      <label class="inline"><input type="checkbox" id="showBoxes" checked> show boxes</label>
      <label class="inline">zoom <select id="zoom"><option value="0">fit</option><option value="1">1:1</option><option value="2">2×</option><option value="4">4×</option><option value="8">8×</option></select></label>
      <button id="del" disabled>Delete box</button>
      <button id="revert">Revert image</button>
      <button id="save" class="primary">Save boxes</button>
      <span id="status" class="muted"></span>
    </div>
    <div id="title"></div>
    <div class="editrow">
      <div id="stage"><svg id="canvas" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><image id="orig" x="0" y="0" width="1" height="1"/><g id="boxes"></g></svg></div>
      <div class="side2">
        <p class="muted help">Drag on the image to draw a box; drag a box to move it, its corner to resize; Delete removes the selected box. Boxes are in original image pixels: type exact values in the table, or zoom in (1:1 and more) to draw tight boxes.</p>
        <table id="boxtable"><thead><tr><th>#</th><th>category</th><th>x</th><th>y</th><th>w</th><th>h</th><th></th></tr></thead><tbody></tbody></table>
        <div id="scores"></div>
      </div>
    </div>
  </section>
  <section id="arms"></section>
</main>
</div>
<script type="module" src="/app.js"></script>
</body></html>
`;

export const APP_CSS = `
:root{--fg:#1d2330;--muted:#667085;--line:#e3e6ec;--panel:#f7f8fa;--accent:#1f5fa8}
*{box-sizing:border-box}html,body{height:100%}
body{margin:0;color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;display:flex;flex-direction:column}
header{display:flex;gap:14px;align-items:baseline;padding:8px 16px;border-bottom:1px solid var(--line)}
h1{font-size:17px;margin:0}a{color:var(--accent)}.muted{color:var(--muted)}
#layout{flex:1;display:flex;min-height:0}
#side{width:330px;border-right:1px solid var(--line);display:flex;flex-direction:column;min-height:0;background:var(--panel)}
.controls{padding:10px 12px;display:flex;flex-direction:column;gap:6px;border-bottom:1px solid var(--line)}
.controls label{display:flex;flex-direction:column;font-size:12.5px;gap:2px}.controls label.inline,.toolbar label.inline{flex-direction:row;align-items:center;gap:6px}
.controls input[type=search]{padding:5px 8px;border:1px solid #cfd4dc;border-radius:4px}
#list{list-style:none;margin:0;padding:0;overflow-y:auto;flex:1}
#list li{padding:6px 12px;border-bottom:1px solid var(--line);cursor:pointer;font-size:12.5px}
#list li:hover{background:#eef2f8}#list li.active{background:#dde8f7}
#list .id{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;direction:rtl;text-align:left}
#list .nums{color:var(--muted);font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;margin-right:6px;background:#e6e8ec}.badge.pos{background:#fde2e1;color:#9b1c1c}.badge.neg{background:#def7ec;color:#03543f}
.dirty::after{content:" ●";color:#c2410c}
#main{flex:1;overflow:auto;padding:12px 18px}
.toolbar{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin-bottom:6px}
button{font:inherit;padding:5px 12px;border:1px solid #cfd4dc;background:#fff;border-radius:4px;cursor:pointer}button.primary{background:var(--accent);color:#fff;border-color:var(--accent)}button:disabled{opacity:.5;cursor:default}
select{font:inherit;padding:3px 4px}
#title{font-weight:600;margin:4px 0 8px;word-break:break-all}
.editrow{display:flex;gap:18px;align-items:flex-start;flex-wrap:wrap}
#stage{flex:0 1 auto;min-width:0;max-width:100%;max-height:80vh;overflow:auto;border-radius:4px}
#boxtable input.num{width:56px}#boxtable input.text{width:100%}#boxtable tr.textrow td{padding-top:0}
#canvas{display:block;width:560px;max-width:100%;height:auto;background:#111;border-radius:4px;touch-action:none;user-select:none;cursor:crosshair}
#canvas rect.box{fill:rgba(0,220,255,.12);stroke:#00dcff;stroke-width:2;vector-effect:non-scaling-stroke;cursor:move}
#canvas rect.box.technologist{stroke:#ffb000;fill:rgba(255,176,0,.12)}#canvas rect.box.other{stroke:#c084fc;fill:rgba(192,132,252,.12)}
#canvas rect.box.sel{stroke-width:3;stroke-dasharray:6 3}
#canvas rect.handle{fill:#fff;stroke:#111;vector-effect:non-scaling-stroke;cursor:nwse-resize}
#canvas text{fill:#00dcff;paint-order:stroke;stroke:#000;pointer-events:none}
.side2{flex:1;min-width:420px}
#boxtable{border-collapse:collapse;font-size:12.5px}#boxtable td,#boxtable th{padding:3px 8px;border-bottom:1px solid var(--line);text-align:right;font-variant-numeric:tabular-nums}#boxtable tr.sel{background:#eef6ff}
#scores table{border-collapse:collapse;margin-top:12px;font-size:12.5px}#scores td,#scores th{padding:3px 10px;border-bottom:1px solid var(--line);text-align:right}#scores td:first-child,#scores th:first-child{text-align:left}
#arms{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px;margin-top:18px}
.arm{border:1px solid var(--line);border-radius:6px;padding:8px;background:var(--panel)}.arm h3{margin:0 0 4px;font-size:13.5px}
.arm img{width:100%;display:block;border-radius:3px;background:#000}.arm .none{height:120px;display:flex;align-items:center;justify-content:center;color:var(--muted);font-size:12px;text-align:center;border:1px dashed #cfd4dc;border-radius:3px}
.arm .nums{font-size:12px;color:var(--muted);font-variant-numeric:tabular-nums}
`;
