import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '../../src/synth/index.js';
import { loadDataset } from '../../src/data/index.js';
import { readNaturalDataset } from '../../src/data/dicom/write.js';
import { readBoxes } from '../../src/labels/formats/index.js';
import { runStudy } from '../../src/study/index.js';
import { TINY_STUDY } from '../fixtures/study/tiny-study.js';
import { tempDir } from '../fixtures/temp-dirs.js';

test("a DICOM phantom through the study: patient-disjoint splits, and both DICOM cross-tables against the files' own tags", async () => {
  const root = await tempDir('confound-dicom-study-');
  const data = join(root, 'data');
  await generateDataset(data, { studies: 80, size: 96, seed: 5, format: 'dicom' });
  const out = join(root, 'study');
  const r = await runStudy({
    out,
    data,
    boxes: join(data, 'labels.coco.json'),
    arms: ['original', 'covered'],
    seed: 5,
    threads: 2,
    overlays: 0,
    train: TINY_STUDY.train,
  });

  // Splits: no patient (PatientID, pseudonymised by the loader) in two of them.
  const ds = await loadDataset(data);
  const patientOf = new Map(ds.records.map((x) => [x.id, x.patient]));
  const split = JSON.parse(await readFile(join(out, 'runs', 'original', 'split.json'), 'utf8')) as Record<
    string,
    string[]
  >;
  const owners = new Map<string, string>();
  for (const name of ['train', 'valid', 'test']) {
    for (const id of split[name]) {
      const p = patientOf.get(id)!;
      assert.ok(!owners.has(p) || owners.get(p) === name, `patient ${p} in ${owners.get(p)} and ${name}`);
      owners.set(p, name);
    }
  }
  assert.ok(new Set(patientOf.values()).size < ds.records.length, 'studies of one patient share a patient id');

  // The cross-tables, recounted from the files' own tags (read by dcmjs) and the boxes the study used.
  const boxes = await readBoxes(join(out, 'boxes.coco.json'));
  const burned = {
    YES: { found: 0, not_found: 0 },
    NO: { found: 0, not_found: 0 },
    absent: { found: 0, not_found: 0 },
  };
  const disagree: string[] = [];
  let compared = 0;
  for (const rec of ds.records) {
    const tags = readNaturalDataset(await readFile(rec.path)) as {
      BurnedInAnnotation?: string;
      ImageLaterality?: string;
    };
    const mine = boxes.filter((b) => b.file === rec.id);
    const key =
      tags.BurnedInAnnotation === 'YES' || tags.BurnedInAnnotation === 'NO' ? tags.BurnedInAnnotation : 'absent';
    burned[key][mine.length ? 'found' : 'not_found']++;
    const read = mine.find((b) => b.category === 'laterality' && (b.text === 'L' || b.text === 'R'))?.text;
    if (read && (tags.ImageLaterality === 'L' || tags.ImageLaterality === 'R')) {
      compared++;
      if (read !== tags.ImageLaterality) disagree.push(rec.id);
    }
  }
  const c = r.dicom_checks!;
  assert.ok(c, 'the study made the DICOM cross-checks');
  assert.deepEqual(c.burned_in, burned);
  assert.equal(c.laterality.compared, compared);
  assert.deepEqual(c.laterality.disagreements.map((d) => d.id).sort(), disagree.sort());
  assert.ok(
    disagree.length > 0 && disagree.length < compared,
    `the phantom sets a wrong laterality tag on a few images (${disagree.length} of ${compared})`,
  );
  // No UID of the files reaches results.json (the phantom's PatientID is also its folder name, so it is in the ids).
  const saved = await readFile(join(out, 'results.json'), 'utf8');
  for (const rec of ds.records) {
    const tags = readNaturalDataset(await readFile(rec.path)) as { StudyInstanceUID?: string; SOPInstanceUID?: string };
    for (const uid of [tags.StudyInstanceUID, tags.SOPInstanceUID])
      if (uid) assert.ok(!saved.includes(uid), `${uid} in results.json`);
  }
});
