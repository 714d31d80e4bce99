import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeGrayPng } from '../../src/data/image.js';
import { loadDataset } from '../../src/data/index.js';
import { renderImage, renderSpecFor, resolveOptions, sampleMetadata } from '../../src/synth/index.js';
import { findLabels } from '../../src/study/labels-step.js';
import { DetectorSchema } from '../../src/study/index.js';
import { detectorSection } from '../../src/report/sections.js';
import { EXPECTED_COVERAGE } from '../../src/labels/detect/expected.js';

test("when the detector finds the study's boxes, the summary lists the images with no label and the expected coverage, and the report shows both", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'confound-labels-step-'));
  try {
    const data = join(dir, 'data');
    const meta = sampleMetadata(resolveOptions({ studies: 2, seed: 905, size: 256 }));
    const study = meta.studies[0];
    const labelled = renderImage(renderSpecFor(study, study.images[0], 256, true));
    assert.ok(labelled.labels.length > 0);
    const blank = { ...labelled.image, data: new Float32Array(labelled.image.data.length).fill(0.3) };
    await mkdir(data, { recursive: true });
    await writeFile(join(data, 'a-labelled.png'), await encodeGrayPng(labelled.image, 8));
    await writeFile(join(data, 'b-blank.png'), await encodeGrayPng(blank, 8));
    const ds = await loadDataset(data);
    const det = await findLabels(ds, { kind: 'detect' }, join(dir, 'boxes.coco.json'), data, ds.records);
    // the writer's output is what results.json stores: it must pass the study folder's schema unchanged
    const parsed = DetectorSchema.parse(det);
    assert.ok(parsed && 'run' in parsed && parsed.run);
    const run = parsed.run;
    assert.equal(run.images, 2);
    assert.deepEqual(run.no_label_images, ['b-blank.png']);
    assert.equal(run.expected_coverage?.weights_match, true);
    assert.equal(run.expected_coverage?.recall, EXPECTED_COVERAGE.recall);
    const html = detectorSection(parsed);
    assert.match(html, /Expected coverage on real films: \d+% of labels/);
    assert.match(html, /No label found on 1 of 2 images/);
    assert.match(html, /<code>b-blank\.png<\/code>/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
