/// <reference lib="dom" />
/**
 * The viewer's browser code: a list of test images with sorting and filters, every arm's CAM overlay, and a box
 * editor that saves to the server. Compiled by tsc with the rest of the project and served as /app.js (a module).
 */

/** What /api/study answers (see server.ts). */
interface ArmView {
  score?: number;
  attention?: number | null;
  overlay?: string;
}
interface ImageView {
  id: string;
  label?: 0 | 1;
  arms: Record<string, ArmView>;
  dp?: number;
  disagreement?: number;
  /** Set when the detector found the study's boxes: true for an image it found no label on. */
  noLabel?: boolean;
}
interface EditBox {
  x: number;
  y: number;
  w: number;
  h: number;
  category: string;
  text?: string;
}
interface StudyView {
  dir: string;
  /** False when boxing a plain data folder (no study: no arms, scores or report). */
  study: boolean;
  boxesPath: string;
  boxesSource: string;
  arms: string[];
  categories: string[];
  images: ImageView[];
  boxes: Record<string, EditBox[]>;
}
type Drag =
  | { kind: 'resize'; i: number }
  | { kind: 'move'; i: number; dx: number; dy: number; moved: boolean }
  | { kind: 'draw'; i: number; x0: number; y0: number };
interface Sort {
  key: string;
  name: string;
  get: (im: ImageView) => number | string | null;
}

interface State {
  study: StudyView | null;
  boxes: Record<string, EditBox[]>;
  saved: Record<string, EditBox[]>;
  dirty: Record<string, boolean>;
  shown: ImageView[];
  id: string | null;
  sel: number;
  drag: Drag | null;
  size: { w: number; h: number };
}

const S: State = {
  study: null,
  boxes: {},
  saved: {},
  dirty: {},
  shown: [],
  id: null,
  sel: -1,
  drag: null,
  size: { w: 1, h: 1 },
};
const SVGNS = 'http://www.w3.org/2000/svg';

function $<T extends Element = HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`viewer page: no element #${id}`);
  return e as unknown as T;
}
const input = (id: string) => $<HTMLInputElement>(id);
const select_ = (id: string) => $<HTMLSelectElement>(id);
const study = (): StudyView => {
  if (!S.study) throw new Error('the study is not loaded yet');
  return S.study;
};

function fmt(v: unknown, d: number): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–';
}
function pct(v: unknown): string {
  return typeof v === 'number' && Number.isFinite(v) ? (v * 100).toFixed(1) + '%' : '–';
}
function el(tag: string, attrs?: Record<string, string | number>, text?: string): HTMLElement {
  const e = document.createElement(tag);
  for (const k in attrs ?? {}) e.setAttribute(k, String(attrs![k]));
  if (text !== undefined) e.textContent = text;
  return e;
}
function svgEl(tag: string): SVGElement {
  return document.createElementNS(SVGNS, tag) as SVGElement;
}
function encId(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}
function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
function attOf(im: ImageView, arm: string): number | null {
  const a = im.arms[arm];
  return a && typeof a.attention === 'number' ? a.attention : null;
}

let SORTS: Sort[] = [];
function buildSorts(): void {
  SORTS = [];
  const st = study();
  st.arms.forEach((arm) => {
    SORTS.push({ key: 'att:' + arm, name: 'label attention: ' + arm, get: (im) => attOf(im, arm) });
  });
  SORTS.push({
    key: 'shift',
    name: 'attention shift (original − covered)',
    get: (im) => {
      const a = attOf(im, 'original'),
        b = attOf(im, 'covered');
      return a === null || b === null ? null : a - b;
    },
  });
  SORTS.push({ key: 'dp', name: 'counterfactual |Δp|', get: (im) => (typeof im.dp === 'number' ? im.dp : null) });
  SORTS.push({
    key: 'dis',
    name: 'disagreement between arms',
    get: (im) => (typeof im.disagreement === 'number' ? im.disagreement : null),
  });
  st.arms.forEach((arm) => {
    SORTS.push({
      key: 'score:' + arm,
      name: 'score: ' + arm,
      get: (im) => {
        const a = im.arms[arm];
        return a && typeof a.score === 'number' ? a.score : null;
      },
    });
  });
  SORTS.push({ key: 'id', name: 'image id', get: (im) => im.id });
  const sel = select_('sort');
  SORTS.forEach((s) => {
    sel.appendChild(el('option', { value: s.key }, s.name));
  });
  sel.value = st.arms.length ? 'att:original' : 'id';
  // Boxing a folder: its images in name order.
  if (!st.arms.length) input('asc').checked = true;
  if (!sel.value) sel.value = SORTS[0].key;
}

function applyFilters(): void {
  const sort = SORTS.find((s) => s.key === select_('sort').value) ?? SORTS[0];
  const asc = input('asc').checked,
    lab = select_('label').value,
    q = input('q').value.trim().toLowerCase();
  const minAtt = +input('minAtt').value,
    minDp = +input('minDp').value,
    minDis = +input('minDis').value,
    onlyOv = input('onlyOverlay').checked;
  const onlyNoLabel = input('onlyNoLabel').checked;
  $('minAttV').textContent = (minAtt * 100).toFixed(0) + '%';
  $('minDpV').textContent = minDp.toFixed(2);
  $('minDisV').textContent = minDis.toFixed(2);
  const list = study().images.filter((im) => {
    if (lab !== 'all' && String(im.label) !== lab) return false;
    if (q && im.id.toLowerCase().indexOf(q) < 0) return false;
    if (minAtt > 0 && !((attOf(im, 'original') || 0) >= minAtt)) return false;
    if (minDp > 0 && !((im.dp || 0) >= minDp)) return false;
    if (minDis > 0 && !((im.disagreement || 0) >= minDis)) return false;
    if (onlyOv && !Object.keys(im.arms).some((a) => im.arms[a].overlay)) return false;
    if (onlyNoLabel && !im.noLabel) return false;
    return true;
  });
  list.sort((a, b) => {
    const x = sort.get(a),
      y = sort.get(b);
    if (x === null && y === null) return a.id < b.id ? -1 : 1;
    if (x === null) return 1;
    if (y === null) return -1;
    const c = x < y ? -1 : x > y ? 1 : 0;
    return asc ? c : -c;
  });
  S.shown = list;
  renderList(sort);
}

function renderList(sort: Sort): void {
  const ol = $('list');
  ol.textContent = '';
  S.shown.forEach((im) => {
    const li = el('li', { 'data-id': im.id });
    if (im.id === S.id) li.className = 'active';
    li.appendChild(el('span', { class: 'id' + (S.dirty[im.id] ? ' dirty' : ''), title: im.id }, im.id));
    const b = el(
      'span',
      { class: 'badge ' + (im.label === 1 ? 'pos' : im.label === 0 ? 'neg' : '') },
      im.label === 1 ? 'abnormal' : im.label === 0 ? 'normal' : '?',
    );
    li.appendChild(b);
    const v = sort.get(im);
    const plain =
      sort.key.indexOf('att:original') === 0 || sort.key === 'dp' || sort.key === 'dis' || sort.key === 'id';
    li.appendChild(
      el(
        'span',
        { class: 'nums' },
        'att ' +
          pct(attOf(im, 'original')) +
          ' · |Δp| ' +
          fmt(im.dp, 2) +
          ' · dis ' +
          fmt(im.disagreement, 2) +
          (plain ? '' : ' · ' + (typeof v === 'number' ? fmt(v, 3) : '–')),
      ),
    );
    li.addEventListener('click', () => {
      select(im.id);
    });
    ol.appendChild(li);
  });
  $('count').textContent = S.shown.length + ' of ' + study().images.length + ' test images';
}

function current(): ImageView | undefined {
  return study().images.find((im) => im.id === S.id);
}

function select(id: string): void {
  S.id = id;
  S.sel = -1;
  if (!S.boxes[id]) S.boxes[id] = clone(S.saved[id] || []);
  document.querySelectorAll('#list li').forEach((li) => {
    li.className = li.getAttribute('data-id') === id ? 'active' : '';
  });
  $('title').textContent = id;
  const img = $<SVGImageElement>('orig');
  const probe = new Image();
  probe.onload = () => {
    S.size = { w: probe.naturalWidth, h: probe.naturalHeight };
    $('canvas').setAttribute('viewBox', '0 0 ' + S.size.w + ' ' + S.size.h);
    img.setAttribute('width', String(S.size.w));
    img.setAttribute('height', String(S.size.h));
    img.setAttribute('href', probe.src);
    applyZoom();
    $('canvas').setAttribute('data-ready', id);
  };
  probe.onerror = () => {
    setStatus('could not load the original image ' + id);
  };
  $('canvas').removeAttribute('data-ready');
  probe.src = '/original/' + encId(id);
  renderArms();
  drawBoxes();
}

function renderArms(): void {
  const im = current();
  if (!im) return;
  const box = $('arms');
  box.textContent = '';
  const t = el('table'),
    head = el('tr');
  ['arm', 'score', 'label attention'].forEach((h) => {
    head.appendChild(el('th', {}, h));
  });
  t.appendChild(head);
  study().arms.forEach((arm) => {
    const a = im.arms[arm] || {};
    const card = el('div', { class: 'arm', 'data-arm': arm });
    card.appendChild(el('h3', {}, arm));
    if (a.overlay)
      card.appendChild(el('img', { src: '/files/study/' + encId(a.overlay), alt: arm + ' Grad-CAM overlay' }));
    else
      card.appendChild(
        el(
          'div',
          { class: 'none' },
          'no overlay on disk for this image (the study writes overlays for the first test images only)',
        ),
      );
    card.appendChild(
      el('div', { class: 'nums' }, 'score ' + fmt(a.score, 3) + ' · label attention ' + pct(a.attention)),
    );
    box.appendChild(card);
    const tr = el('tr');
    tr.appendChild(el('td', {}, arm));
    tr.appendChild(el('td', {}, fmt(a.score, 3)));
    tr.appendChild(el('td', {}, pct(a.attention)));
    t.appendChild(tr);
  });
  const extra = el('tr');
  extra.appendChild(el('td', {}, 'counterfactual |Δp|'));
  extra.appendChild(el('td', {}, fmt(im.dp, 3)));
  extra.appendChild(el('td', {}, ''));
  t.appendChild(extra);
  $('scores').textContent = '';
  $('scores').appendChild(t);
}

function drawBoxes(): void {
  drawOnImage();
  drawTable();
}

/** The boxes on the image, with captions and the selected box's resize handle. */
function drawOnImage(): void {
  const g = $<SVGGElement>('boxes');
  g.textContent = '';
  const list = (S.id && S.boxes[S.id]) || [];
  g.style.display = input('showBoxes').checked ? '' : 'none';
  // Image units per screen pixel, so handles and captions keep a readable on-screen size at any zoom.
  const shownW = $('canvas').getBoundingClientRect().width || S.size.w;
  const u = S.size.w / shownW,
    hs = 9 * u;
  list.forEach((b, i) => {
    const r = svgEl('rect');
    r.setAttribute('x', String(b.x));
    r.setAttribute('y', String(b.y));
    r.setAttribute('width', String(b.w));
    r.setAttribute('height', String(b.h));
    r.setAttribute('class', 'box ' + b.category + (i === S.sel ? ' sel' : ''));
    r.setAttribute('data-i', String(i));
    g.appendChild(r);
    const t = svgEl('text');
    t.setAttribute('x', String(b.x));
    t.setAttribute('y', String(b.y > 14 * u ? b.y - 3 * u : b.y + b.h + 12 * u));
    t.textContent = b.category + (b.text ? ' ' + b.text : '');
    t.setAttribute('font-size', String(12 * u));
    t.setAttribute('stroke-width', String(3 * u));
    g.appendChild(t);
    if (i === S.sel) {
      const h = svgEl('rect');
      h.setAttribute('x', String(b.x + b.w - hs / 2));
      h.setAttribute('y', String(b.y + b.h - hs / 2));
      h.setAttribute('width', String(hs));
      h.setAttribute('height', String(hs));
      h.setAttribute('class', 'handle');
      h.setAttribute('data-i', String(i));
      g.appendChild(h);
    }
  });
}

/** The box table. Its fields redraw only the image, so moving between them keeps the focus. */
function drawTable(): void {
  const tb = document.querySelector('#boxtable tbody');
  if (!tb) return;
  tb.textContent = '';
  const list = (S.id && S.boxes[S.id]) || [];
  list.forEach((b, i) => {
    const tr = el('tr', { class: 'boxrow' + (i === S.sel ? ' sel' : '') });
    tr.appendChild(el('td', {}, String(i + 1)));
    const td = el('td'),
      sel = el('select', { 'data-i': i }) as HTMLSelectElement;
    study().categories.forEach((c) => {
      const o = el('option', { value: c }, c) as HTMLOptionElement;
      if (c === b.category) o.selected = true;
      sel.appendChild(o);
    });
    sel.addEventListener('change', () => {
      list[i].category = sel.value;
      markDirty();
      drawBoxes();
    });
    td.appendChild(sel);
    tr.appendChild(td);
    (['x', 'y', 'w', 'h'] as const).forEach((k) => {
      const num = el('input', { type: 'number', class: 'num', 'data-k': k, min: 0, step: 1 }) as HTMLInputElement;
      num.value = String(Math.round(b[k]));
      num.addEventListener('change', () => setCoord(i, k, num));
      const tdn = el('td');
      tdn.appendChild(num);
      tr.appendChild(tdn);
    });
    // The text on a line of its own under the numbers, so the table stays narrow enough to sit beside the image.
    const txt = el('input', { type: 'text', class: 'text', maxlength: TEXT_MAX, placeholder: 'text (what it reads)' });
    (txt as HTMLInputElement).value = b.text ?? '';
    txt.addEventListener('input', () => {
      list[i].text = (txt as HTMLInputElement).value;
      markDirty();
      drawOnImage();
    });
    const textRow = el('tr', { class: 'textrow' + (i === S.sel ? ' sel' : '') }),
      tdt = el('td', { colspan: 6 });
    textRow.appendChild(el('td'));
    tdt.appendChild(txt);
    textRow.appendChild(tdt);
    const del = el('button', { title: 'delete box' }, '×');
    del.addEventListener('click', () => {
      list.splice(i, 1);
      S.sel = -1;
      markDirty();
      drawBoxes();
    });
    const td2 = el('td');
    td2.appendChild(del);
    tr.appendChild(td2);
    tr.addEventListener('click', (ev) => {
      const tag = (ev.target as Element).tagName;
      if (tag !== 'SELECT' && tag !== 'BUTTON' && tag !== 'INPUT') {
        S.sel = i;
        drawBoxes();
      }
    });
    tb.appendChild(tr);
    tb.appendChild(textRow);
  });
  $<HTMLButtonElement>('del').disabled = S.sel < 0;
}

/** The server's limit on a box's text (box-store.ts); longer text is refused there, so the field stops at it. */
const TEXT_MAX = 120;

/** A coordinate typed into the box table: whole image pixels, kept inside the image and at least 1 px wide. */
function setCoord(i: number, k: 'x' | 'y' | 'w' | 'h', field: HTMLInputElement): void {
  if (!S.id) return;
  const b = S.boxes[S.id][i],
    v = Math.round(Number(field.value));
  if (!Number.isFinite(v)) {
    field.value = String(b[k]);
    return;
  }
  if (k === 'x') b.x = Math.min(S.size.w - b.w, Math.max(0, v));
  else if (k === 'y') b.y = Math.min(S.size.h - b.h, Math.max(0, v));
  else if (k === 'w') b.w = Math.min(S.size.w - b.x, Math.max(1, v));
  else b.h = Math.min(S.size.h - b.y, Math.max(1, v));
  field.value = String(b[k]);
  markDirty();
  drawOnImage();
}

/** Show the image to fit the panel, or at a fixed number of screen pixels per image pixel (scrolling inside #stage). */
function applyZoom(): void {
  const z = Number(select_('zoom').value),
    c = $<SVGSVGElement>('canvas');
  c.style.width = z > 0 ? S.size.w * z + 'px' : '';
  c.style.maxWidth = z > 0 ? 'none' : '';
  drawBoxes();
}

function markDirty(): void {
  if (!S.id) return;
  S.dirty[S.id] = true;
  setStatus('unsaved changes');
  const li = document.querySelector('#list li.active .id');
  if (li) li.className = 'id dirty';
}
function setStatus(t: string): void {
  $('status').textContent = t;
}

function toImage(ev: PointerEvent): { x: number; y: number } {
  const svg = $<SVGSVGElement>('canvas'),
    p = svg.createSVGPoint();
  p.x = ev.clientX;
  p.y = ev.clientY;
  const q = p.matrixTransform(svg.getScreenCTM()!.inverse());
  return { x: Math.min(S.size.w, Math.max(0, q.x)), y: Math.min(S.size.h, Math.max(0, q.y)) };
}

function onDown(ev: PointerEvent): void {
  if (!S.id || !input('showBoxes').checked || ev.button !== 0) return;
  const list = S.boxes[S.id],
    pt = toImage(ev),
    t = ev.target as Element,
    i = Number(t.getAttribute?.('data-i'));
  if (t.classList?.contains('handle')) {
    S.drag = { kind: 'resize', i };
  } else if (t.classList?.contains('box')) {
    S.sel = i;
    S.drag = { kind: 'move', i, dx: pt.x - list[i].x, dy: pt.y - list[i].y, moved: false };
  } else {
    list.push({ x: pt.x, y: pt.y, w: 0, h: 0, category: select_('cat').value });
    S.sel = list.length - 1;
    S.drag = { kind: 'draw', i: S.sel, x0: pt.x, y0: pt.y };
  }
  $('canvas').setPointerCapture(ev.pointerId);
  ev.preventDefault();
  drawBoxes();
}

function onMove(ev: PointerEvent): void {
  if (!S.drag || !S.id) return;
  const d = S.drag,
    b = S.boxes[S.id][d.i],
    pt = toImage(ev);
  if (d.kind === 'draw') {
    b.x = Math.min(d.x0, pt.x);
    b.y = Math.min(d.y0, pt.y);
    b.w = Math.abs(pt.x - d.x0);
    b.h = Math.abs(pt.y - d.y0);
  } else if (d.kind === 'move') {
    b.x = Math.min(S.size.w - b.w, Math.max(0, pt.x - d.dx));
    b.y = Math.min(S.size.h - b.h, Math.max(0, pt.y - d.dy));
    d.moved = true;
  } else {
    b.w = Math.max(1, pt.x - b.x);
    b.h = Math.max(1, pt.y - b.y);
  }
  drawBoxes();
}

function onUp(): void {
  if (!S.drag || !S.id) return;
  const list = S.boxes[S.id],
    d = S.drag,
    b = list[d.i];
  S.drag = null;
  (['x', 'y', 'w', 'h'] as const).forEach((k) => {
    b[k] = Math.round(b[k]);
  });
  if (d.kind === 'draw' && (b.w < 2 || b.h < 2)) {
    list.splice(d.i, 1);
    S.sel = -1;
    drawBoxes();
    return;
  }
  if (d.kind !== 'move' || d.moved) markDirty();
  drawBoxes();
}

function save(): void {
  const id = S.id;
  if (!id) return;
  setStatus('saving…');
  fetch('/api/boxes', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ id, boxes: S.boxes[id] }),
  })
    .then((r) =>
      r.json().then((j: { error?: string; boxes: EditBox[]; file: string }) => {
        if (!r.ok) throw new Error(j.error || r.statusText);
        return j;
      }),
    )
    .then((j) => {
      S.saved[id] = clone(j.boxes);
      S.boxes[id] = clone(j.boxes);
      delete S.dirty[id];
      if (id === S.id) {
        S.sel = -1;
        drawBoxes();
      }
      const li = document.querySelector('#list li[data-id="' + CSS.escape(id) + '"] .id');
      if (li) li.className = 'id';
      setStatus('saved ' + j.boxes.length + ' box(es) for this image to ' + j.file);
      $('status').setAttribute('data-saved', String(Date.now()));
    })
    .catch((e: Error) => {
      setStatus('not saved: ' + e.message);
    });
}

function step(k: number): void {
  const i = S.shown.findIndex((im) => im.id === S.id);
  const next = S.shown[Math.min(S.shown.length - 1, Math.max(0, i + k))];
  if (next) {
    select(next.id);
    const li = document.querySelector('#list li.active');
    if (li) li.scrollIntoView({ block: 'nearest' });
  }
}

function deleteSelected(): void {
  if (!S.id || S.sel < 0) return;
  S.boxes[S.id].splice(S.sel, 1);
  S.sel = -1;
  markDirty();
  drawBoxes();
}

function init(): void {
  fetch('/api/study')
    .then((r) => r.json() as Promise<StudyView>)
    .then((st) => {
      S.study = st;
      S.saved = st.boxes || {};
      $('studydir').textContent = st.dir;
      $('reportlink').hidden = !st.study;
      $('banner').textContent = 'boxes from ' + (st.boxesSource || 'nothing yet') + ' · saving to ' + st.boxesPath;
      st.categories.forEach((c) => {
        $('cat').appendChild(el('option', { value: c }, c));
      });
      buildSorts();
      // Start on the images that have Grad-CAM overlays, when the study wrote any.
      input('onlyOverlay').checked = st.images.some((im) => Object.keys(im.arms).some((a) => im.arms[a].overlay));
      // the filter only means something when the detector found the study's boxes
      $('noLabelFilter').hidden = !st.images.some((im) => im.noLabel !== undefined);
      ['sort', 'asc', 'label', 'minAtt', 'minDp', 'minDis', 'onlyOverlay', 'onlyNoLabel', 'q'].forEach((k) => {
        $(k).addEventListener('input', applyFilters);
      });
      $('showBoxes').addEventListener('change', drawBoxes);
      $('zoom').addEventListener('input', applyZoom);
      $('save').addEventListener('click', save);
      $('revert').addEventListener('click', () => {
        if (!S.id) return;
        S.boxes[S.id] = clone(S.saved[S.id] || []);
        delete S.dirty[S.id];
        S.sel = -1;
        drawBoxes();
        setStatus('reverted to the last saved boxes');
      });
      $('del').addEventListener('click', () => {
        if (S.sel >= 0) deleteSelected();
      });
      const c = $('canvas');
      c.addEventListener('pointerdown', onDown);
      c.addEventListener('pointermove', onMove);
      c.addEventListener('pointerup', onUp);
      c.addEventListener('pointercancel', onUp);
      document.addEventListener('keydown', (ev) => {
        const tag = (ev.target as Element).tagName;
        if (tag === 'INPUT' || tag === 'SELECT') return;
        if ((ev.key === 'Delete' || ev.key === 'Backspace') && S.sel >= 0) {
          deleteSelected();
          ev.preventDefault();
        } else if (ev.key === 'ArrowDown' || ev.key === 'j') {
          step(1);
          ev.preventDefault();
        } else if (ev.key === 'ArrowUp' || ev.key === 'k') {
          step(-1);
          ev.preventDefault();
        } else if ((ev.ctrlKey || ev.metaKey) && ev.key === 's') {
          save();
          ev.preventDefault();
        }
      });
      window.addEventListener('resize', drawBoxes);
      window.addEventListener('beforeunload', (ev) => {
        if (Object.keys(S.dirty).length) {
          ev.preventDefault();
          ev.returnValue = '';
        }
      });
      applyFilters();
      if (S.shown.length) select(S.shown[0].id);
      document.body.setAttribute('data-loaded', '1');
    })
    .catch((e: Error) => {
      $('banner').textContent = 'could not load the study: ' + e.message;
    });
}
init();
