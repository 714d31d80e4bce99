import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset, renderImage, renderSpecFor, resolveOptions, sampleMetadata } from '../../src/synth/index.js';
import { loadDataset, readImage } from '../../src/data/index.js';
import { readNaturalDataset } from '../../src/data/dicom/write.js';
import { readBoxes } from '../../src/labels/formats/index.js';
import { maskDataset } from '../../src/variants/index.js';
import { detectDataset, loadDetectorModel, type LabelBox } from '../../src/labels/index.js';
import { tempDir } from '../data/helpers/fixtures.js';

const inside = (px: number, py: number, b: { left: number; top: number; width: number; height: number }) =>
  px >= b.left && px < b.left + b.width && py >= b.top && py < b.top + b.height;

// "No label left" is checked against the phantom's label-free rendering: outside the covers the masked DICOM
// equals the clean image, so no detector can find a label there. (Inside the covers: the next test.)
test('mask --format dicom: dcmdump opens it, tags kept, new UIDs, covers drawn, no label pixel left', async () => {
  const root = await tempDir();
  const data = join(root, 'ph');
  await generateDataset(data, { studies: 8, size: 256, seed: 31, format: 'dicom' });
  const out = join(root, 'masked');
  const s = await maskDataset({
    data,
    boxes: join(data, 'labels.coco.json'),
    out,
    mode: 'cover',
    format: 'dicom',
    margin: 2,
  });
  assert.equal(s.failed, 0);
  const ds = await loadDataset(data);
  const meta = sampleMetadata(resolveOptions({ studies: 8, size: 256, seed: 31, format: 'dicom' }));
  const clean = new Map(
    meta.studies.flatMap((st) => st.images.map((im) => [im.path, () => renderImage(renderSpecFor(st, im, 256)).clean])),
  );
  let covers = 0;
  for (const r of ds.records) {
    const dst = join(out, r.id);
    const dump = execFileSync('dcmdump', [dst], { encoding: 'utf8' });
    assert.match(dump, /\(0028,0301\) CS \[NO\]/);
    const a = readNaturalDataset(await readFile(r.path));
    const b = readNaturalDataset(await readFile(dst));
    for (const k of ['PatientID', 'StudyInstanceUID', 'ImageLaterality', 'BodyPartExamined', 'WindowCenter', 'Rows']) {
      assert.deepEqual(b[k], a[k], k);
    }
    assert.notEqual(b.SOPInstanceUID, a.SOPInstanceUID);
    assert.notEqual(b.SeriesInstanceUID, a.SeriesInstanceUID);
    assert.match(String(b.DeidentificationMethod), /confound mask --mode cover/);
    const sidecar = JSON.parse(await readFile(`${dst}.json`, 'utf8')) as Record<
      string,
      { label: string; left: number; top: number; width: number; height: number }[]
    >;
    const boxes = sidecar[r.id];
    const before = await readImage(r.path);
    const after = await readImage(dst);
    for (let y = 0; y < after.height; y++) {
      for (let x = 0; x < after.width; x++) {
        const i = y * after.width + x;
        if (boxes.some((bx) => inside(x, y, bx))) assert.equal(after.data[i], 0, `${r.id} (${x},${y}) not covered`);
        else assert.equal(after.data[i], before.data[i], `${r.id} (${x},${y}) changed`);
      }
    }
    covers += boxes.length;
    const labelFree = clean.get(r.id)!();
    let labelPixels = 0;
    for (let i = 0; i < after.data.length; i++) {
      const x = i % after.width,
        y = Math.floor(i / after.width);
      if (boxes.some((bx) => inside(x, y, bx))) continue;
      // 8-bit stored: equal to the label-free rendering within quantisation.
      assert.ok(
        Math.abs(after.data[i] - labelFree.data[i]) <= 0.5 / 255 + 1e-6,
        `${r.id} (${x},${y}) keeps label pixels`,
      );
      if (Math.abs(before.data[i] - labelFree.data[i]) > 0.5 / 255 + 1e-6) labelPixels++;
    }
    assert.equal(labelPixels, 0, 'the truth boxes hold every label pixel');
  }
  assert.ok(covers > 0);
  // The sidecars are read back by readBoxes, with the text from Presidio's "label".
  const one = ds.records[0].id;
  const back = await readBoxes(join(out, `${one}.json`));
  assert.ok(back.length > 0 && back.every((bx) => bx.file === one && typeof bx.text === 'string'));
  assert.ok(back.some((bx) => bx.category === 'laterality' && (bx.text === 'L' || bx.text === 'R')));
});

// The detector once took some black covers for marker plates (3 of the 68 covers here, 13 of 276 on 60 studies):
// src/labels/detect/flat-cover.ts drops a box around a solid one-value rectangle.
test('confound detect on mask --format dicom output finds no label inside the covered boxes', async () => {
  const root = await tempDir();
  const data = join(root, 'ph');
  await generateDataset(data, { studies: 16, size: 256, seed: 31, format: 'dicom' });
  const out = join(root, 'masked');
  await maskDataset({ data, boxes: join(data, 'labels.coco.json'), out, mode: 'cover', format: 'dicom', margin: 2 });
  const model = loadDetectorModel();
  const covers = new Map<string, { left: number; top: number; width: number; height: number }[]>();
  const original = await loadDataset(data);
  for (const r of original.records) {
    const sidecar = JSON.parse(await readFile(join(out, `${r.id}.json`), 'utf8')) as Record<string, []>;
    covers.set(r.id, sidecar[r.id]);
  }
  // How much of a covered box a found box holds.
  const held = (d: LabelBox) =>
    Math.max(
      0,
      ...(covers.get(d.file) ?? []).map((c) => {
        const w = Math.min(d.x + d.w, c.left + c.width) - Math.max(d.x, c.left);
        const h = Math.min(d.y + d.h, c.top + c.height) - Math.max(d.y, c.top);
        return w > 0 && h > 0 ? (w * h) / (c.width * c.height) : 0;
      }),
    );
  const before = await detectDataset(original.records, model);
  const after = await detectDataset((await loadDataset(out)).records, model);
  assert.equal(after.issues.length, 0);
  const n = [...covers.values()].flat().length;
  // Before covering, the detector finds most of these labels: the check below is not empty.
  assert.ok(before.boxes.filter((d) => held(d) > 0.5).length > n / 2, `${before.boxes.length} boxes before`);
  const inside = after.boxes.filter((d) => held(d) > 0.25);
  assert.deepEqual(inside, [], `${inside.length} of ${n} covers found as labels`);
});

test('mask --format dicom --deidentify, from a JPEG-LS lossless source: written uncompressed, identifiers gone', async () => {
  const root = await tempDir();
  const data = join(root, 'ph');
  await generateDataset(data, { studies: 2, size: 64, seed: 32, format: 'dicom', bits: 16 });
  const ds = await loadDataset(data);
  for (const r of ds.records) {
    execFileSync('gdcmconv', ['--jpegls', r.path, `${r.path}.ls`]);
    await writeFile(r.path, await readFile(`${r.path}.ls`));
    execFileSync('rm', [`${r.path}.ls`]);
  }
  const out = join(root, 'masked');
  const s = await maskDataset({
    data,
    boxes: join(data, 'labels.coco.json'),
    out,
    mode: 'cover',
    format: 'dicom',
    deidentify: true,
  });
  assert.equal(s.failed, 0);
  for (const r of ds.records) {
    const bytes = await readFile(join(out, r.id));
    const b = readNaturalDataset(bytes);
    const a = readNaturalDataset(await readFile(r.path));
    assert.equal(b.PatientIdentityRemoved, 'YES');
    assert.notEqual(b.PatientID, a.PatientID);
    assert.notEqual(b.PatientName, a.PatientName);
    assert.notEqual(b.StudyInstanceUID, a.StudyInstanceUID);
    assert.match(execFileSync('dcmdump', [join(out, r.id)], { encoding: 'utf8' }), /LittleEndianExplicit/);
  }
  assert.ok((await readdir(out)).includes('labels.coco.json'));
});
