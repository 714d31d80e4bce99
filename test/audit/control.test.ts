import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../../src/audit/run-audit.js';
import { regionModel } from '../../src/audit/toy-models.js';
import { loadDataset } from '../../src/data/load.js';
import { readImage } from '../../src/data/read-image.js';
import { writeGrayPng } from '../../src/data/image.js';
import { indexBoxes, readBoxes } from '../../src/labels/formats/index.js';
import {
  applyVariant,
  locationMatchedBoxes,
  controlBoxes,
  pixelRect,
  rectsOverlap,
  NoRoomError,
} from '../../src/variants/index.js';
import { Rng } from '../../src/util/rng.js';
import { makeOverAnatomyData, fitLogistic, OVER } from './helpers.js';

let dir: string;
let data: { manifest: string; boxes: string };
let model: string;
/** The disc's bounding square: the region the anatomy model averages. */
const REGION = { x: OVER.cx - OVER.r, y: OVER.cy - OVER.r, w: 2 * OVER.r, h: 2 * OVER.r };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confound-control-'));
  data = await makeOverAnatomyData(join(dir, 'data'), 40);
  // The anatomy-only model: logistic regression on the mean brightness of the disc's square, trained on the
  // covered images (labels blacked out, margin 2), as a model trained only on covered images would be.
  const ds = await loadDataset(data.manifest);
  const boxes = indexBoxes(await readBoxes(data.boxes, { dataset: ds }));
  const x: number[] = [],
    y: number[] = [];
  for (const r of ds.records) {
    const img = applyVariant(await readImage(r.path), boxes.get(r.id)!, 'cover', { margin: 2 });
    let s = 0;
    for (let yy = REGION.y; yy < REGION.y + REGION.h; yy++)
      for (let xx = REGION.x; xx < REGION.x + REGION.w; xx++) s += img.data[yy * OVER.size + xx];
    x.push(s / (REGION.w * REGION.h));
    y.push(r.label!);
  }
  const fit = fitLogistic(x, y);
  model = join(dir, 'anatomy.onnx');
  await writeFile(model, regionModel(REGION, { size: OVER.size, scale: fit.a, bias: fit.b }).onnx);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('location-matched control boxes: same sizes, never on a label, matched edge distance and anatomy share, seeded', async () => {
  const ds = await loadDataset(data.manifest);
  const boxes = indexBoxes(await readBoxes(data.boxes, { dataset: ds }));
  let dShare = 0,
    dEdge = 0,
    dEdgeAnywhere = 0;
  for (const r of ds.records) {
    const img = await readImage(r.path);
    const bs = boxes.get(r.id)!;
    const a = locationMatchedBoxes(img, bs, new Rng(`9:${r.id}`), 2);
    const b = locationMatchedBoxes(img, bs, new Rng(`9:${r.id}`), 2);
    assert.deepEqual(a, b);
    for (const [i, c] of a.boxes.entries()) {
      assert.deepEqual([c.w, c.h, c.category], [bs[i].w, bs[i].h, bs[i].category]);
      for (const l of bs)
        assert.ok(!rectsOverlap(pixelRect(l, 2, 96, 96), pixelRect(c, 2, 96, 96)), `${r.id}: control on a label`);
    }
    dShare += Math.abs(a.placements[0].label.anatomy - a.placements[0].control.anatomy);
    dEdge += Math.abs(a.placements[0].label.edge - a.placements[0].control.edge);
    const c = controlBoxes(img, bs, 'anywhere', new Rng(`9:${r.id}`), 2)[0];
    dEdgeAnywhere += Math.abs(a.placements[0].label.edge - Math.min(c.x, c.y, 96 - c.x - c.w, 96 - c.y - c.h));
    // The label sits on the disc, so its control does too.
    assert.ok(
      a.placements[0].label.anatomy > 0.9 && a.placements[0].control.anatomy > 0.9,
      JSON.stringify(a.placements),
    );
  }
  assert.ok(dShare / ds.records.length < 0.05, `mean |share difference| ${dShare / ds.records.length}`);
  // Labels at the very centre have no free place at their own edge distance; on average the match is close,
  // and much closer than the old control's.
  const n = ds.records.length;
  assert.ok(
    dEdge / n < 0.06 * 96 && dEdge < 0.25 * dEdgeAnywhere,
    `mean |edge distance difference| ${dEdge / n} px (anywhere ${dEdgeAnywhere / n})`,
  );
});

test('an anatomy-only model whose labels sit over the anatomy: none with the location-matched control, not with "anywhere"', async () => {
  const common = { model, data: data.manifest, boxes: { file: data.boxes }, occlusionImages: 0, margin: 2 };
  const loc = await runAudit({ ...common, out: join(dir, 'loc'), control: 'location' });
  assert.equal(loc.reliance, 'none', loc.verdict.summary);
  assert.ok(loc.verdict.conclusive, loc.verdict.summary);
  assert.equal(loc.counterfactual.control, 'location');
  assert.ok(
    loc.counterfactual.covered.mean_abs_delta > 0.02,
    'covering the label moves this model: the test is not trivial',
  );
  const any = await runAudit({ ...common, out: join(dir, 'any'), control: 'anywhere' });
  assert.notEqual(any.reliance, 'none', any.verdict.summary);
});

test('an image with no room for a control box is skipped, named and counted; the others are scored', async () => {
  const d = join(dir, 'data');
  const ds = await loadDataset(data.manifest);
  const boxes = indexBoxes(await readBoxes(data.boxes, { dataset: ds }));
  // A label box as large as the image leaves no room.
  const full = join(d, 'img/full.png');
  await writeGrayPng(full, { width: 96, height: 96, data: new Float32Array(96 * 96).fill(0.5), bits: 8 });
  const manifest = join(d, 'crowded.csv'),
    boxFile = join(d, 'crowded-boxes.csv');
  const recs = ds.records.slice(0, 12);
  const rel = (r: { id: string }) => r.id;
  await writeFile(
    manifest,
    ['path,label,patient', 'img/full.png,1,px', ...recs.map((r) => `${rel(r)},${r.label},${r.id}`)].join('\n') + '\n',
  );
  await writeFile(
    boxFile,
    [
      'path,x,y,w,h,category',
      'img/full.png,0,0,96,96,laterality',
      ...recs.map((r) => {
        const b = boxes.get(r.id)![0];
        return `${rel(r)},${b.x},${b.y},${b.w},${b.h},laterality`;
      }),
    ].join('\n') + '\n',
  );
  const img = await readImage(full);
  for (const mode of ['location', 'anywhere'] as const) {
    assert.throws(
      () =>
        controlBoxes(
          img,
          [{ file: 'full.png', x: 0, y: 0, w: 96, h: 96, category: 'laterality' }],
          mode,
          new Rng(1),
          2,
        ),
      (e: Error) => e instanceof NoRoomError && /full\.png: /.test(e.message),
    );
  }
  const s = await runAudit({
    model,
    data: manifest,
    boxes: { file: boxFile },
    occlusionImages: 0,
    out: join(dir, 'crowded-audit'),
    control: 'location',
  });
  assert.equal(s.counterfactual.n, 12);
  assert.equal(s.counterfactual.no_room.length, 1);
  assert.match(s.counterfactual.no_room[0].path, /full\.png$/);
  assert.match(s.counterfactual.no_room[0].message, /no free place for a 96x96 control box/);
});
