import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { decodeDicom } from '../../src/data/dicom.js';
import { readImage } from '../../src/data/read-image.js';
import { writeDicom } from './helpers/dicom-writer.js';
import { tempDir } from './helpers/fixtures.js';

const ramp = [0, 100, 200, 300, 400, 500];

for (const syntax of ['implicit-le', 'explicit-le', 'explicit-be'] as const) {
  test(`${syntax}: unsigned 16-bit without window is min/max scaled`, async () => {
    const img = await decodeDicom(writeDicom({ rows: 2, cols: 3, bitsAllocated: 16, pixels: ramp, syntax }), 'x.dcm');
    assert.equal(img.width, 3);
    assert.equal(img.height, 2);
    assert.equal(img.bits, 16);
    ramp.forEach((v, i) => assert.ok(Math.abs(img.data[i] - v / 500) < 1e-6, `${i}: ${img.data[i]}`));
  });
}

test('MONOCHROME1 is inverted', async () => {
  const img = await decodeDicom(
    writeDicom({ rows: 2, cols: 3, bitsAllocated: 16, pixels: ramp, photometric: 'MONOCHROME1' }),
    'x.dcm',
  );
  ramp.forEach((v, i) => assert.ok(Math.abs(img.data[i] - (1 - v / 500)) < 1e-6));
});

test('signed pixels, rescale and window are applied in order', async () => {
  // Stored -100..150 signed; HU = 2*v - 50; window centre 0 width 201 -> [-100.5, 100.5) maps to 0..1.
  const stored = [-100, -25, 0, 25, 50, 150];
  const img = await decodeDicom(
    writeDicom({
      rows: 1,
      cols: 6,
      bitsAllocated: 16,
      bitsStored: 12,
      signed: true,
      pixels: stored,
      slope: 2,
      intercept: -50,
      windowCenter: 0,
      windowWidth: 201,
    }),
    'x.dcm',
  );
  stored.forEach((s, i) => {
    const hu = 2 * s - 50;
    const expected = hu <= -100.5 ? 0 : hu > 99.5 ? 1 : (hu + 0.5) / 200 + 0.5;
    assert.ok(Math.abs(img.data[i] - expected) < 1e-6, `${i}: hu ${hu} got ${img.data[i]} want ${expected}`);
  });
  assert.equal(img.data[0], 0);
  assert.equal(img.data[5], 1);
});

test('8-bit DICOM reads with bits 8', async () => {
  const img = await decodeDicom(writeDicom({ rows: 2, cols: 2, bitsAllocated: 8, pixels: [0, 50, 100, 200] }), 'x.dcm');
  assert.equal(img.bits, 8);
  assert.ok(Math.abs(img.data[1] - 0.25) < 1e-6);
});

test('an unsupported transfer syntax is refused with the file and UID', async () => {
  const jpegXl = '1.2.840.10008.1.2.4.110';
  const bytes = writeDicom({ rows: 1, cols: 2, bitsAllocated: 8, pixels: [1, 2], syntax: jpegXl });
  await assert.rejects(decodeDicom(bytes, '/data/a.dcm'), {
    message: `/data/a.dcm: unsupported DICOM transfer syntax ${jpegXl}`,
  });
});

test('readImage dispatches on DICOM magic even without a .dcm extension', async () => {
  const dir = await tempDir();
  const p = join(dir, 'IM0001');
  await writeFile(p, writeDicom({ rows: 2, cols: 3, bitsAllocated: 16, pixels: ramp }));
  const img = await readImage(p);
  assert.equal(img.width, 3);
  assert.ok(Math.abs(img.data[5] - 1) < 1e-6);
});
