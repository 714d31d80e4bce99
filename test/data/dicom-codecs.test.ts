import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeDicom, decodeDicomFrames } from '../../src/data/dicom.js';
import { readNaturalDataset, writeNaturalDataset } from '../../src/data/dicom/write.js';
import { tempDir } from './helpers/fixtures.js';
import { convert, phantomImage, syntaxOf, writePhantomDicom } from './helpers/dicom-phantom.js';

// DICOMs made from a phantom radiograph by Debian's gdcmconv, dcmcjpeg and dcmconv (scripts/setup.sh --test),
// decoded by confound and compared with the uncompressed source decoded the same way.

const img = phantomImage(192, 7);

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const lossless: [string, string, string[], string][] = [
  ['dcmconv implicit VR little endian', 'dcmconv', ['+ti'], '1.2.840.10008.1.2'],
  ['dcmconv explicit VR big endian', 'dcmconv', ['+tb'], '1.2.840.10008.1.2.2'],
  ['dcmconv deflated explicit VR little endian', 'dcmconv', ['+td'], '1.2.840.10008.1.2.1.99'],
  ['JPEG lossless SV1', 'gdcmconv', ['--jpeg'], '1.2.840.10008.1.2.4.70'],
  ['JPEG lossless process 14 (predictor 6)', 'dcmcjpeg', ['+el', '--selection-value', '6'], '1.2.840.10008.1.2.4.57'],
  ['JPEG-LS lossless', 'gdcmconv', ['--jpegls'], '1.2.840.10008.1.2.4.80'],
  ['JPEG 2000 lossless', 'gdcmconv', ['--j2k'], '1.2.840.10008.1.2.4.90'],
  ['RLE lossless', 'gdcmconv', ['--rle'], '1.2.840.10008.1.2.5'],
];

for (const bits of [8, 12, 16]) {
  for (const [name, tool, args, uid] of lossless) {
    test(`${name}, ${bits}-bit: decodes to exactly the source pixels`, async () => {
      const dir = await tempDir();
      const src = writePhantomDicom(dir, 'src.dcm', img, bits);
      const bytes = convert(tool, args, src, join(dir, 'out.dcm'));
      assert.equal(syntaxOf(bytes), uid);
      const want = await decodeDicom(readFileSync(src), src);
      const got = await decodeDicom(bytes, 'out.dcm');
      assert.equal(got.width, 192);
      assert.equal(got.bits, bits > 8 ? 16 : 8);
      assert.deepEqual(got.data, want.data);
    });
  }
}

// Lossy: the error bound each codec was asked for, or the quality the JPEG encoder was run at.
test('JPEG-LS near-lossless (allowed error 3), 12-bit: every stored value within 3', async () => {
  const dir = await tempDir();
  const src = writePhantomDicom(dir, 'src.dcm', img, 12, { WindowCenter: '2047.5', WindowWidth: '4096' });
  const bytes = convert('gdcmconv', ['--jpegls', '--lossy', '-e', '3'], src, join(dir, 'out.dcm'));
  assert.equal(syntaxOf(bytes), '1.2.840.10008.1.2.4.81');
  const want = await decodeDicom(readFileSync(src), src);
  const got = await decodeDicom(bytes, 'out.dcm');
  // A window as wide as the stored range makes one stored step 1/4095 of the output.
  assert.ok(maxAbsDiff(got.data, want.data) <= 3 / 4095 + 1e-6, `max diff ${maxAbsDiff(got.data, want.data) * 4095}`);
  assert.ok(maxAbsDiff(got.data, want.data) > 0, 'lossy coding changed nothing');
});

// JPEG baseline/extended and JPEG 2000 irreversible: the same stored values as Debian's gdcm decodes (to one
// step: IDCT and wavelet rounding may differ), and a sane distance from the source. (12-bit JPEG extended is
// decoded by gdcm itself, see src/data/dicom/gdcm.ts, so there the distance from the source is the check.)
for (const [name, tool, args, bits, uid] of [
  ['JPEG baseline (dcmcjpeg, quality 90), 8-bit', 'dcmcjpeg', ['+eb', '+q', '90'], 8, '1.2.840.10008.1.2.4.50'],
  ['JPEG extended (dcmcjpeg, quality 90), 12-bit', 'dcmcjpeg', ['+ee', '+q', '90'], 12, '1.2.840.10008.1.2.4.51'],
  [
    'JPEG 2000 irreversible (gdcmconv, quality 80), 12-bit',
    'gdcmconv',
    ['--j2k', '--lossy', '-q', '80'],
    12,
    '1.2.840.10008.1.2.4.91',
  ],
] as const) {
  test(`${name}: equals gdcm's decoding to one step; mean error under 1% of the range`, async () => {
    const dir = await tempDir();
    const max = 2 ** bits - 1;
    const window = { WindowCenter: String((max + 1) / 2 - 0.5), WindowWidth: String(max + 1) };
    const src = writePhantomDicom(dir, 'src.dcm', img, bits, window);
    const out = join(dir, 'out.dcm');
    const bytes = convert(tool, [...args], src, out);
    assert.equal(syntaxOf(bytes), uid);
    const ref = convert('gdcmconv', ['--raw'], out, join(dir, 'ref.dcm'));
    const want = await decodeDicom(readFileSync(src), src);
    const got = await decodeDicom(bytes, 'out.dcm');
    const gdcm = await decodeDicom(ref, 'ref.dcm');
    assert.ok(
      maxAbsDiff(got.data, gdcm.data) <= 1 / max + 1e-6,
      `vs gdcm: ${maxAbsDiff(got.data, gdcm.data) * max} steps`,
    );
    let sum = 0;
    for (let i = 0; i < got.data.length; i++) sum += Math.abs(got.data[i] - want.data[i]);
    const mean = sum / got.data.length;
    assert.ok(mean < 0.01 && mean > 0, `mean abs error vs source ${mean}`);
  });
}

test('multi-frame compressed (RLE, JPEG lossless, JPEG-LS): every frame decodes to its source frame', async () => {
  const dir = await tempDir();
  const frames = [phantomImage(64, 1), phantomImage(64, 2), phantomImage(64, 3)];
  const joined = { width: 64, height: 64 * 3, data: new Float32Array(64 * 64 * 3), bits: 16 as const };
  frames.forEach((f, k) => joined.data.set(f.data, k * 64 * 64));
  // grayDataset writes one tall frame; NumberOfFrames and Rows make it three 64 x 64 frames.
  const src = writePhantomDicom(dir, 'src.dcm', joined, 12, { NumberOfFrames: '3' });
  const ds = readNaturalDataset(readFileSync(src));
  ds.Rows = 64;
  const three = join(dir, 'three.dcm');
  writeFileSync(three, writeNaturalDataset(ds));
  const want = await decodeDicomFrames(readFileSync(three), three, { frames: 'all' });
  assert.equal(want.length, 3);
  for (const args of [['--rle'], ['--jpeg'], ['--jpegls']]) {
    const bytes = convert('gdcmconv', args, three, join(dir, 'out.dcm'));
    const got = await decodeDicomFrames(bytes, 'out.dcm', { frames: 'all' });
    assert.equal(got.length, 3, args[0]);
    got.forEach((g, k) => assert.deepEqual(g.data, want[k].data, `${args[0]} frame ${k + 1}`));
  }
});

test('a header that disagrees with the codestream is one clear error naming the file', async () => {
  const dir = await tempDir();
  const src = writePhantomDicom(dir, 'src.dcm', img, 12);
  for (const [arg, uid, why] of [
    ['--jpeg', '1.2.840.10008.1.2.4.70', 'codestream has 36864 samples, header says 192x191x1'],
    ['--jpegls', '1.2.840.10008.1.2.4.80', 'codestream is 192x192x1, header says 192x191x1'],
    ['--j2k', '1.2.840.10008.1.2.4.90', 'codestream is 192x192x1, header says 192x191x1'],
  ]) {
    const bytes = convert('gdcmconv', [arg], src, join(dir, 'out.dcm'));
    // Rows (0028,0010) US, explicit VR little endian: 192 -> 191.
    const at = bytes.indexOf(Buffer.from([0x28, 0x00, 0x10, 0x00, 0x55, 0x53, 0x02, 0x00]));
    assert.equal(bytes.readUInt16LE(at + 8), 192);
    bytes.writeUInt16LE(191, at + 8);
    await assert.rejects(decodeDicom(bytes, '/d/rows.dcm'), {
      message: `/d/rows.dcm: cannot decode frame 1 (${uid}): ${why}`,
    });
  }
});

// Our JPEG lossless decoder picks its look-up width from the Huffman table: a noisy 16-bit image has codes and
// extra bits too long for the narrow table (the slow path), a smooth one fits (the fast path).
test('JPEG lossless SV1 of a noisy 16-bit image (codes longer than the fast table): exactly the source', async () => {
  const dir = await tempDir();
  const noisy = { ...img, data: new Float32Array(img.data.length) };
  let s = 11;
  for (let i = 0; i < noisy.data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    noisy.data[i] = Math.min(1, Math.max(0, img.data[i] + ((s >>> 8) / 2 ** 24 - 0.5) * 0.2));
  }
  const src = writePhantomDicom(dir, 'src.dcm', noisy, 16);
  const bytes = convert('gdcmconv', ['--jpeg'], src, join(dir, 'out.dcm'));
  const want = await decodeDicom(readFileSync(src), src);
  assert.deepEqual((await decodeDicom(bytes, 'out.dcm')).data, want.data);
});

test("JPEG lossless with a point transform (dcmcjpeg +pt 3, predictors 1 and 7): gdcm's stored values", async () => {
  const dir = await tempDir();
  const window = { WindowCenter: '2047.5', WindowWidth: '4096' };
  const src = writePhantomDicom(dir, 'src.dcm', img, 12, window);
  for (const sv of ['1', '7']) {
    const out = join(dir, `pt${sv}.dcm`);
    const bytes = convert('dcmcjpeg', ['+el', '--selection-value', sv, '--point-transform', '3'], src, out);
    const gdcm = await decodeDicom(convert('gdcmconv', ['--raw'], out, join(dir, 'ref.dcm')), 'ref.dcm');
    const got = await decodeDicom(bytes, out);
    assert.deepEqual(got.data, gdcm.data, `predictor ${sv}`);
    assert.ok(
      maxAbsDiff(got.data, (await decodeDicom(readFileSync(src), src)).data) > 0,
      'the transform dropped nothing',
    );
  }
});

test('a JPEG lossless scan cut short is one clear error naming the file and the pixel', async () => {
  const dir = await tempDir();
  const src = writePhantomDicom(dir, 'src.dcm', img, 16);
  const bytes = convert('gdcmconv', ['--jpeg'], src, join(dir, 'out.dcm'));
  // End the image (FF D9) 1,000 bytes into the scan; the fragment keeps its length.
  const sos = bytes.indexOf(Buffer.from([0xff, 0xda]));
  const scanStart = sos + 2 + bytes.readUInt16BE(sos + 2);
  bytes.set([0xff, 0xd9], scanStart + 1000);
  await assert.rejects(decodeDicom(bytes, '/d/cut.dcm'), {
    message:
      /^\/d\/cut\.dcm: cannot decode frame 1 \(1\.2\.840\.10008\.1\.2\.4\.70\): JPEG lossless: the scan's data ends before pixel \d+ of 36864$/,
  });
});
