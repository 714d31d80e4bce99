import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '../../src/synth/index.js';
import { readImage } from '../../src/data/index.js';
import { readNaturalDataset } from '../../src/data/dicom/write.js';
import { parseCsvObjects } from '../../src/util/csv.js';
import { tempDir } from '../data/helpers/fixtures.js';

const opts = { studies: 16, size: 64, seed: 11 };

test("synth --format dicom: the PNG phantom's pixels, with patient, study, burned-in and laterality tags", async () => {
  const png = await tempDir();
  const dcm = await tempDir();
  await generateDataset(png, opts);
  await generateDataset(dcm, { ...opts, format: 'dicom' });
  const truth = parseCsvObjects(await readFile(join(dcm, 'truth.csv'), 'utf8'));
  const coco = JSON.parse(await readFile(join(dcm, 'labels.coco.json'), 'utf8')) as {
    images: { id: number; file_name: string }[];
    annotations: { image_id: number; category_id: number; text: string }[];
  };
  const burned = new Map<string, number>();
  let mismatched = 0;
  for (const row of truth) {
    assert.ok(row.path.endsWith('.dcm'));
    const a = await readImage(join(dcm, row.path));
    const b = await readImage(join(png, row.path.replace(/\.dcm$/, '.png')));
    assert.equal(a.data.length, b.data.length);
    for (let i = 0; i < a.data.length; i++) assert.ok(Math.abs(a.data[i] - b.data[i]) < 1e-6, `${row.path} pixel ${i}`);
    const tags = readNaturalDataset(await readFile(join(dcm, row.path)));
    assert.equal(tags.PatientID, row.patient);
    const key = String(tags.BurnedInAnnotation ?? 'absent');
    burned.set(key, (burned.get(key) ?? 0) + 1);
    const imageId = coco.images.find((im) => im.file_name === row.path)!.id;
    const marker = coco.annotations.find((an) => an.image_id === imageId && an.category_id === 1)?.text;
    if (marker && tags.ImageLaterality !== marker) mismatched++;
  }
  // Same study, same StudyInstanceUID; different studies, different ones.
  const uids = new Map<string, string>();
  for (const row of truth) {
    const uid = String(readNaturalDataset(await readFile(join(dcm, row.path))).StudyInstanceUID);
    assert.equal(uids.get(row.study) ?? uid, uid);
    uids.set(row.study, uid);
  }
  assert.equal(new Set(uids.values()).size, uids.size);
  assert.deepEqual([...burned.keys()].sort(), ['NO', 'YES', 'absent']);
  assert.ok(mismatched > 0 && mismatched < truth.length / 4, `laterality mismatches ${mismatched} of ${truth.length}`);
});

test('synth --format dicom is deterministic: same seed, same bytes', async () => {
  const a = await tempDir();
  const b = await tempDir();
  await generateDataset(join(a, 'ph'), { ...opts, studies: 3, format: 'dicom' });
  await generateDataset(join(b, 'ph'), { ...opts, studies: 3, format: 'dicom' });
  const rows = parseCsvObjects(await readFile(join(a, 'ph', 'truth.csv'), 'utf8'));
  for (const r of rows) assert.deepEqual(await readFile(join(a, 'ph', r.path)), await readFile(join(b, 'ph', r.path)));
});
