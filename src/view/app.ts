/** The viewer's page, style and script, served from memory (no build step, no framework, no network). */

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
      <button id="del" disabled>Delete box</button>
      <button id="revert">Revert image</button>
      <button id="save" class="primary">Save boxes</button>
      <span id="status" class="muted"></span>
    </div>
    <div id="title"></div>
    <div class="editrow">
      <svg id="canvas" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><image id="orig" x="0" y="0" width="1" height="1"/><g id="boxes"></g></svg>
      <div class="side2">
        <p class="muted help">Drag on the image to draw a box; drag a box to move it, its corner to resize; Delete removes the selected box. Boxes are in original image pixels.</p>
        <table id="boxtable"><thead><tr><th>#</th><th>category</th><th>x</th><th>y</th><th>w</th><th>h</th><th></th></tr></thead><tbody></tbody></table>
        <div id="scores"></div>
      </div>
    </div>
  </section>
  <section id="arms"></section>
</main>
</div>
<script src="/app.js"></script>
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
#canvas{width:min(560px,100%);height:auto;background:#111;border-radius:4px;touch-action:none;user-select:none;cursor:crosshair}
#canvas rect.box{fill:rgba(0,220,255,.12);stroke:#00dcff;stroke-width:2;vector-effect:non-scaling-stroke;cursor:move}
#canvas rect.box.technologist{stroke:#ffb000;fill:rgba(255,176,0,.12)}#canvas rect.box.other{stroke:#c084fc;fill:rgba(192,132,252,.12)}
#canvas rect.box.sel{stroke-width:3;stroke-dasharray:6 3}
#canvas rect.handle{fill:#fff;stroke:#111;vector-effect:non-scaling-stroke;cursor:nwse-resize}
#canvas text{fill:#00dcff;paint-order:stroke;stroke:#000;pointer-events:none}
.side2{flex:1;min-width:280px}
#boxtable{border-collapse:collapse;font-size:12.5px}#boxtable td,#boxtable th{padding:3px 8px;border-bottom:1px solid var(--line);text-align:right;font-variant-numeric:tabular-nums}#boxtable tr.sel{background:#eef6ff}
#scores table{border-collapse:collapse;margin-top:12px;font-size:12.5px}#scores td,#scores th{padding:3px 10px;border-bottom:1px solid var(--line);text-align:right}#scores td:first-child,#scores th:first-child{text-align:left}
#arms{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px;margin-top:18px}
.arm{border:1px solid var(--line);border-radius:6px;padding:8px;background:var(--panel)}.arm h3{margin:0 0 4px;font-size:13.5px}
.arm img{width:100%;display:block;border-radius:3px;background:#000}.arm .none{height:120px;display:flex;align-items:center;justify-content:center;color:var(--muted);font-size:12px;text-align:center;border:1px dashed #cfd4dc;border-radius:3px}
.arm .nums{font-size:12px;color:var(--muted);font-variant-numeric:tabular-nums}
`;

// Plain ES2020 for the browser; written without template literals so it can live inside this TS string.
export const APP_JS = String.raw`
'use strict';
var S = { study: null, boxes: {}, saved: {}, dirty: {}, shown: [], id: null, sel: -1, drag: null, size: { w: 1, h: 1 } };
var $ = function (id) { return document.getElementById(id); };
var SVGNS = 'http://www.w3.org/2000/svg';
function fmt(v, d) { return typeof v === 'number' && isFinite(v) ? v.toFixed(d) : '–'; }
function pct(v) { return typeof v === 'number' && isFinite(v) ? (v * 100).toFixed(1) + '%' : '–'; }
function el(tag, attrs, text) {
  var e = document.createElement(tag);
  for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
  if (text !== undefined) e.textContent = text;
  return e;
}
function encId(id) { return id.split('/').map(encodeURIComponent).join('/'); }
function clone(v) { return JSON.parse(JSON.stringify(v)); }
function attOf(im, arm) { var a = im.arms[arm]; return a && typeof a.attention === 'number' ? a.attention : null; }

var SORTS = [];
function buildSorts() {
  SORTS = [];
  S.study.arms.forEach(function (arm) { SORTS.push({ key: 'att:' + arm, name: 'label attention: ' + arm, get: function (im) { return attOf(im, arm); } }); });
  SORTS.push({ key: 'shift', name: 'attention shift (original − covered)', get: function (im) { var a = attOf(im, 'original'), b = attOf(im, 'covered'); return a === null || b === null ? null : a - b; } });
  SORTS.push({ key: 'dp', name: 'counterfactual |Δp|', get: function (im) { return typeof im.dp === 'number' ? im.dp : null; } });
  SORTS.push({ key: 'dis', name: 'disagreement between arms', get: function (im) { return typeof im.disagreement === 'number' ? im.disagreement : null; } });
  S.study.arms.forEach(function (arm) { SORTS.push({ key: 'score:' + arm, name: 'score: ' + arm, get: function (im) { var a = im.arms[arm]; return a && typeof a.score === 'number' ? a.score : null; } }); });
  SORTS.push({ key: 'id', name: 'image id', get: function (im) { return im.id; } });
  var sel = $('sort');
  SORTS.forEach(function (s) { sel.appendChild(el('option', { value: s.key }, s.name)); });
  sel.value = 'att:original';
  if (!sel.value) sel.value = SORTS[0].key;
}

function applyFilters() {
  var sort = SORTS.find(function (s) { return s.key === $('sort').value; }) || SORTS[0];
  var asc = $('asc').checked, lab = $('label').value, q = $('q').value.trim().toLowerCase();
  var minAtt = +$('minAtt').value, minDp = +$('minDp').value, minDis = +$('minDis').value, onlyOv = $('onlyOverlay').checked, onlyNoLabel = $('onlyNoLabel').checked;
  $('minAttV').textContent = (minAtt * 100).toFixed(0) + '%'; $('minDpV').textContent = minDp.toFixed(2); $('minDisV').textContent = minDis.toFixed(2);
  var list = S.study.images.filter(function (im) {
    if (lab !== 'all' && String(im.label) !== lab) return false;
    if (q && im.id.toLowerCase().indexOf(q) < 0) return false;
    if (minAtt > 0 && !((attOf(im, 'original') || 0) >= minAtt)) return false;
    if (minDp > 0 && !((im.dp || 0) >= minDp)) return false;
    if (minDis > 0 && !((im.disagreement || 0) >= minDis)) return false;
    if (onlyOv && !Object.keys(im.arms).some(function (a) { return im.arms[a].overlay; })) return false;
    if (onlyNoLabel && !im.noLabel) return false;
    return true;
  });
  list.sort(function (a, b) {
    var x = sort.get(a), y = sort.get(b);
    if (x === null && y === null) return a.id < b.id ? -1 : 1;
    if (x === null) return 1;
    if (y === null) return -1;
    var c = x < y ? -1 : x > y ? 1 : 0;
    return asc ? c : -c;
  });
  S.shown = list;
  renderList(sort);
}

function renderList(sort) {
  var ol = $('list');
  ol.textContent = '';
  S.shown.forEach(function (im) {
    var li = el('li', { 'data-id': im.id });
    if (im.id === S.id) li.className = 'active';
    li.appendChild(el('span', { class: 'id' + (S.dirty[im.id] ? ' dirty' : ''), title: im.id }, im.id));
    var b = el('span', { class: 'badge ' + (im.label === 1 ? 'pos' : im.label === 0 ? 'neg' : '') }, im.label === 1 ? 'abnormal' : im.label === 0 ? 'normal' : '?');
    li.appendChild(b);
    var v = sort.get(im);
    li.appendChild(el('span', { class: 'nums' }, 'att ' + pct(attOf(im, 'original')) + ' · |Δp| ' + fmt(im.dp, 2) + ' · dis ' + fmt(im.disagreement, 2) + (sort.key.indexOf('att:original') === 0 || sort.key === 'dp' || sort.key === 'dis' || sort.key === 'id' ? '' : ' · ' + (typeof v === 'number' ? fmt(v, 3) : '–'))));
    li.addEventListener('click', function () { select(im.id); });
    ol.appendChild(li);
  });
  $('count').textContent = S.shown.length + ' of ' + S.study.images.length + ' test images';
}

function current() { return S.study.images.find(function (im) { return im.id === S.id; }); }

function select(id) {
  S.id = id; S.sel = -1;
  if (!S.boxes[id]) S.boxes[id] = clone(S.saved[id] || []);
  Array.prototype.forEach.call(document.querySelectorAll('#list li'), function (li) { li.className = li.getAttribute('data-id') === id ? 'active' : ''; });
  $('title').textContent = id;
  var img = $('orig');
  var probe = new Image();
  probe.onload = function () {
    S.size = { w: probe.naturalWidth, h: probe.naturalHeight };
    $('canvas').setAttribute('viewBox', '0 0 ' + S.size.w + ' ' + S.size.h);
    img.setAttribute('width', S.size.w); img.setAttribute('height', S.size.h);
    img.setAttribute('href', probe.src);
    drawBoxes();
    $('canvas').setAttribute('data-ready', id);
  };
  probe.onerror = function () { setStatus('could not load the original image ' + id); };
  $('canvas').removeAttribute('data-ready');
  probe.src = '/original/' + encId(id);
  renderArms();
  drawBoxes();
}

function renderArms() {
  var im = current(), box = $('arms');
  box.textContent = '';
  var t = el('table'), head = el('tr');
  ['arm', 'score', 'label attention'].forEach(function (h) { head.appendChild(el('th', {}, h)); });
  t.appendChild(head);
  S.study.arms.forEach(function (arm) {
    var a = im.arms[arm] || {};
    var card = el('div', { class: 'arm', 'data-arm': arm });
    card.appendChild(el('h3', {}, arm));
    if (a.overlay) card.appendChild(el('img', { src: '/files/study/' + encId(a.overlay), alt: arm + ' Grad-CAM overlay' }));
    else card.appendChild(el('div', { class: 'none' }, 'no overlay on disk for this image (the study writes overlays for the first test images only)'));
    card.appendChild(el('div', { class: 'nums' }, 'score ' + fmt(a.score, 3) + ' · label attention ' + pct(a.attention)));
    box.appendChild(card);
    var tr = el('tr');
    tr.appendChild(el('td', {}, arm)); tr.appendChild(el('td', {}, fmt(a.score, 3))); tr.appendChild(el('td', {}, pct(a.attention)));
    t.appendChild(tr);
  });
  var extra = el('tr');
  extra.appendChild(el('td', {}, 'counterfactual |Δp|')); extra.appendChild(el('td', {}, fmt(im.dp, 3))); extra.appendChild(el('td', {}, ''));
  t.appendChild(extra);
  $('scores').textContent = '';
  $('scores').appendChild(t);
}

function drawBoxes() {
  var g = $('boxes'), tb = document.querySelector('#boxtable tbody');
  g.textContent = ''; tb.textContent = '';
  var list = S.boxes[S.id] || [];
  g.style.display = $('showBoxes').checked ? '' : 'none';
  // Image units per screen pixel, so handles and captions keep a readable on-screen size at any zoom.
  var shownW = $('canvas').getBoundingClientRect().width || S.size.w;
  var u = S.size.w / shownW, hs = 9 * u;
  list.forEach(function (b, i) {
    var r = document.createElementNS(SVGNS, 'rect');
    r.setAttribute('x', b.x); r.setAttribute('y', b.y); r.setAttribute('width', b.w); r.setAttribute('height', b.h);
    r.setAttribute('class', 'box ' + b.category + (i === S.sel ? ' sel' : ''));
    r.setAttribute('data-i', i);
    g.appendChild(r);
    var t = document.createElementNS(SVGNS, 'text');
    t.setAttribute('x', b.x); t.setAttribute('y', b.y > 14 * u ? b.y - 3 * u : b.y + b.h + 12 * u); t.textContent = b.category + (b.text ? ' ' + b.text : '');
    t.setAttribute('font-size', 12 * u); t.setAttribute('stroke-width', 3 * u);
    g.appendChild(t);
    if (i === S.sel) {
      var h = document.createElementNS(SVGNS, 'rect');
      h.setAttribute('x', b.x + b.w - hs / 2); h.setAttribute('y', b.y + b.h - hs / 2); h.setAttribute('width', hs); h.setAttribute('height', hs);
      h.setAttribute('class', 'handle'); h.setAttribute('data-i', i);
      g.appendChild(h);
    }
    var tr = el('tr', { class: i === S.sel ? 'sel' : '' });
    tr.appendChild(el('td', {}, String(i + 1)));
    var td = el('td'), sel = el('select', { 'data-i': i });
    S.study.categories.forEach(function (c) { var o = el('option', { value: c }, c); if (c === b.category) o.selected = true; sel.appendChild(o); });
    sel.addEventListener('change', function () { list[i].category = sel.value; markDirty(); drawBoxes(); });
    td.appendChild(sel); tr.appendChild(td);
    ['x', 'y', 'w', 'h'].forEach(function (k) { tr.appendChild(el('td', {}, String(Math.round(b[k])))); });
    var del = el('button', { title: 'delete box' }, '×');
    del.addEventListener('click', function () { list.splice(i, 1); S.sel = -1; markDirty(); drawBoxes(); });
    var td2 = el('td'); td2.appendChild(del); tr.appendChild(td2);
    tr.addEventListener('click', function (ev) { if (ev.target.tagName !== 'SELECT' && ev.target.tagName !== 'BUTTON') { S.sel = i; drawBoxes(); } });
    tb.appendChild(tr);
  });
  $('del').disabled = S.sel < 0;
}

function markDirty() {
  S.dirty[S.id] = true;
  setStatus('unsaved changes');
  var li = document.querySelector('#list li.active .id');
  if (li) li.className = 'id dirty';
}
function setStatus(t) { $('status').textContent = t; }

function toImage(ev) {
  var svg = $('canvas'), p = svg.createSVGPoint();
  p.x = ev.clientX; p.y = ev.clientY;
  var q = p.matrixTransform(svg.getScreenCTM().inverse());
  return { x: Math.min(S.size.w, Math.max(0, q.x)), y: Math.min(S.size.h, Math.max(0, q.y)) };
}

function onDown(ev) {
  if (!S.id || !$('showBoxes').checked || ev.button !== 0) return;
  var list = S.boxes[S.id], pt = toImage(ev), t = ev.target, i = t.getAttribute && t.getAttribute('data-i');
  if (t.classList && t.classList.contains('handle')) {
    S.drag = { kind: 'resize', i: +i };
  } else if (t.classList && t.classList.contains('box')) {
    S.sel = +i;
    S.drag = { kind: 'move', i: +i, dx: pt.x - list[+i].x, dy: pt.y - list[+i].y, moved: false };
  } else {
    list.push({ x: pt.x, y: pt.y, w: 0, h: 0, category: $('cat').value });
    S.sel = list.length - 1;
    S.drag = { kind: 'draw', i: S.sel, x0: pt.x, y0: pt.y };
  }
  $('canvas').setPointerCapture(ev.pointerId);
  ev.preventDefault();
  drawBoxes();
}

function onMove(ev) {
  if (!S.drag) return;
  var b = S.boxes[S.id][S.drag.i], pt = toImage(ev);
  if (S.drag.kind === 'draw') {
    b.x = Math.min(S.drag.x0, pt.x); b.y = Math.min(S.drag.y0, pt.y); b.w = Math.abs(pt.x - S.drag.x0); b.h = Math.abs(pt.y - S.drag.y0);
  } else if (S.drag.kind === 'move') {
    b.x = Math.min(S.size.w - b.w, Math.max(0, pt.x - S.drag.dx)); b.y = Math.min(S.size.h - b.h, Math.max(0, pt.y - S.drag.dy)); S.drag.moved = true;
  } else {
    b.w = Math.max(1, pt.x - b.x); b.h = Math.max(1, pt.y - b.y);
  }
  drawBoxes();
}

function onUp() {
  if (!S.drag) return;
  var list = S.boxes[S.id], d = S.drag, b = list[d.i];
  S.drag = null;
  ['x', 'y', 'w', 'h'].forEach(function (k) { b[k] = Math.round(b[k]); });
  if (d.kind === 'draw' && (b.w < 2 || b.h < 2)) { list.splice(d.i, 1); S.sel = -1; drawBoxes(); return; }
  if (d.kind !== 'move' || d.moved) markDirty();
  drawBoxes();
}

function save() {
  var id = S.id;
  if (!id) return;
  setStatus('saving…');
  fetch('/api/boxes', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: id, boxes: S.boxes[id] }) })
    .then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.error || r.statusText); return j; }); })
    .then(function (j) {
      S.saved[id] = clone(j.boxes); S.boxes[id] = clone(j.boxes); delete S.dirty[id];
      if (id === S.id) { S.sel = -1; drawBoxes(); }
      var li = document.querySelector('#list li[data-id="' + CSS.escape(id) + '"] .id');
      if (li) li.className = 'id';
      setStatus('saved ' + j.boxes.length + ' box(es) for this image to ' + j.file);
      $('status').setAttribute('data-saved', String(Date.now()));
    })
    .catch(function (e) { setStatus('not saved: ' + e.message); });
}

function step(k) {
  var i = S.shown.findIndex(function (im) { return im.id === S.id; });
  var next = S.shown[Math.min(S.shown.length - 1, Math.max(0, i + k))];
  if (next) { select(next.id); var li = document.querySelector('#list li.active'); if (li) li.scrollIntoView({ block: 'nearest' }); }
}

function init() {
  fetch('/api/study').then(function (r) { return r.json(); }).then(function (study) {
    S.study = study; S.saved = study.boxes || {};
    $('studydir').textContent = study.dir;
    $('banner').textContent = 'boxes from ' + (study.boxesSource || 'nothing yet') + ' · saving to ' + study.boxesPath;
    study.categories.forEach(function (c) { $('cat').appendChild(el('option', { value: c }, c)); });
    buildSorts();
    // Start on the images that have Grad-CAM overlays, when the study wrote any.
    $('onlyOverlay').checked = study.images.some(function (im) { return Object.keys(im.arms).some(function (a) { return im.arms[a].overlay; }); });
    // the filter only means something when the detector found the study's boxes
    $('noLabelFilter').hidden = !study.images.some(function (im) { return im.noLabel !== undefined; });
    ['sort', 'asc', 'label', 'minAtt', 'minDp', 'minDis', 'onlyOverlay', 'onlyNoLabel', 'q'].forEach(function (k) { $(k).addEventListener('input', applyFilters); });
    $('showBoxes').addEventListener('change', drawBoxes);
    $('save').addEventListener('click', save);
    $('revert').addEventListener('click', function () { if (!S.id) return; S.boxes[S.id] = clone(S.saved[S.id] || []); delete S.dirty[S.id]; S.sel = -1; drawBoxes(); setStatus('reverted to the last saved boxes'); });
    $('del').addEventListener('click', function () { if (S.sel >= 0) { S.boxes[S.id].splice(S.sel, 1); S.sel = -1; markDirty(); drawBoxes(); } });
    var c = $('canvas');
    c.addEventListener('pointerdown', onDown); c.addEventListener('pointermove', onMove); c.addEventListener('pointerup', onUp); c.addEventListener('pointercancel', onUp);
    document.addEventListener('keydown', function (ev) {
      if (ev.target.tagName === 'INPUT' || ev.target.tagName === 'SELECT') return;
      if ((ev.key === 'Delete' || ev.key === 'Backspace') && S.sel >= 0) { S.boxes[S.id].splice(S.sel, 1); S.sel = -1; markDirty(); drawBoxes(); ev.preventDefault(); }
      else if (ev.key === 'ArrowDown' || ev.key === 'j') { step(1); ev.preventDefault(); }
      else if (ev.key === 'ArrowUp' || ev.key === 'k') { step(-1); ev.preventDefault(); }
      else if ((ev.ctrlKey || ev.metaKey) && ev.key === 's') { save(); ev.preventDefault(); }
    });
    window.addEventListener('resize', drawBoxes);
    window.addEventListener('beforeunload', function (ev) { if (Object.keys(S.dirty).length) { ev.preventDefault(); ev.returnValue = ''; } });
    applyFilters();
    if (S.shown.length) select(S.shown[0].id);
    document.body.setAttribute('data-loaded', '1');
  }).catch(function (e) { $('banner').textContent = 'could not load the study: ' + e.message; });
}
init();
`;
