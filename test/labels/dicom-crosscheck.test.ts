import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '../../src/synth/index.js';
import { loadDataset, splitByPatient } from '../../src/data/index.js';
import { readBoxes } from '../../src/labels/formats/index.js';
import { crossCheckDicomTags, dicomCrossCheck } from '../../src/labels/dicom-crosscheck.js';
import { readNaturalDataset } from '../../src/data/dicom/write.js';
import { loadFolder } from '../../src/data/loaders/folder.js';
import { tempDir } from '../data/helpers/fixtures.js';

test('cross-tables of a DICOM phantom against its true boxes, counted from tags read by dcmjs', async () => {
  const dir = join(await tempDir(), 'ph');
  await generateDataset(dir, { studies: 14, size: 64, seed: 21, format: 'dicom' });
  const ds = await loadDataset(dir);
  const boxes = await readBoxes(join(dir, 'labels.coco.json'));
  // Drop all boxes of the first 3 images: they become "not found".
  const dropped = new Set(ds.records.slice(0, 3).map((r) => r.id));
  const found = boxes.filter((b) => !dropped.has(b.file));
  const got = await dicomCrossCheck(ds.records, found);
  assert.ok(got);

  const want = { YES: { found: 0, not_found: 0 }, NO: { found: 0, not_found: 0 }, absent: { found: 0, not_found: 0 } };
  const disagree: string[] = [];
  let compared = 0;
  for (const r of ds.records) {
    const tags = readNaturalDataset(await readFile(r.path));
    const key = (tags.BurnedInAnnotation ?? 'absent') as keyof typeof want;
    const mine = found.filter((b) => b.file === r.id);
    want[key][mine.length > 0 ? 'found' : 'not_found']++;
    const marker = mine.find((b) => b.category === 'laterality')?.text;
    if (marker === 'L' || marker === 'R') {
      compared++;
      if (marker !== tags.ImageLaterality) disagree.push(r.id);
    }
  }
  assert.deepEqual(got.burned_in, want);
  assert.equal(want.YES.not_found + want.NO.not_found + want.absent.not_found, 3);
  assert.equal(got.laterality.compared, compared);
  assert.deepEqual(
    got.laterality.disagreements.map((d) => d.id),
    disagree.sort(),
  );
  assert.ok(disagree.length > 0, 'the phantom has some wrong laterality tags');
  assert.equal(got.laterality.agreement, (compared - disagree.length) / compared);
  assert.equal(got.laterality.no_marker_read, 3);
  // (The MURA layout's paths name patients; identifiers from the tags must not appear.)
  assert.ok(!/PHANTOM|2\.25\./.test(JSON.stringify(got)), 'no PatientName or UID in the result');
});

test('crossCheckDicomTags: degenerate inputs', () => {
  const r = crossCheckDicomTags(
    [{ id: 'a', laterality: 'B' }, { id: 'b' }, { id: 'c', laterality: 'L', burnedIn: 'NO' }],
    [
      { file: 'c', x: 0, y: 0, w: 1, h: 1, category: 'laterality', text: 'R', score: 0.4 },
      { file: 'c', x: 0, y: 0, w: 1, h: 1, category: 'laterality', text: 'L', score: 0.9 },
    ],
  );
  assert.deepEqual(r.burned_in, {
    YES: { found: 0, not_found: 0 },
    NO: { found: 1, not_found: 0 },
    absent: { found: 0, not_found: 2 },
  });
  assert.deepEqual(r.laterality, {
    compared: 1,
    agree: 1,
    agreement: 1,
    no_tag: 2,
    no_marker_read: 0,
    disagreements: [],
  });
  assert.equal(crossCheckDicomTags([], []).laterality.agreement, null);
});

test('a folder of DICOMs is grouped by PatientID and StudyInstanceUID, pseudonymised; splits are patient-disjoint', async () => {
  const dir = join(await tempDir(), 'ph');
  await generateDataset(dir, { studies: 14, size: 64, seed: 22, format: 'dicom' });
  const ds = await loadFolder(join(dir, 'train'));
  const pid = new Map<string, string>();
  for (const r of ds.records) {
    const tags = readNaturalDataset(await readFile(r.path));
    assert.ok(r.patient.startsWith('dicom-patient-') && !r.patient.includes(String(tags.PatientID)));
    assert.equal(pid.get(String(tags.PatientID)) ?? r.patient, r.patient);
    pid.set(String(tags.PatientID), r.patient);
  }
  assert.equal(new Set(ds.records.map((r) => r.patient)).size, pid.size);
  assert.ok(pid.size < ds.records.length, 'some patient has several images');
  const split = splitByPatient(ds.records, { fractions: { train: 0.5, test: 0.5 }, seed: 1 });
  const splitOf = new Map<string, string>();
  for (const r of split) {
    assert.equal(splitOf.get(r.patient) ?? r.split, r.split);
    splitOf.set(r.patient, r.split!);
  }
});
