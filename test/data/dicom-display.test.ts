import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDicom, decodeDicomFrames } from '../../src/data/dicom.js';
import { derivedUid, writeNaturalDataset, type NaturalDataset } from '../../src/data/dicom/write.js';

// The display pipeline of PS3.3 C.11 against values computed here from the standard's formulas.

function file(pixels: number[], tags: NaturalDataset = {}, bits = 16): Buffer {
  const words = bits === 8 ? Uint8Array.from(pixels) : Uint16Array.from(pixels);
  const bytes = new Uint8Array(words.buffer);
  const even = new Uint8Array(bytes.length + (bytes.length % 2));
  even.set(bytes);
  return writeNaturalDataset({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
    SOPInstanceUID: derivedUid('display', JSON.stringify(tags)),
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: 1,
    Columns: pixels.length,
    BitsAllocated: bits,
    BitsStored: bits === 8 ? 8 : 12,
    HighBit: bits === 8 ? 7 : 11,
    PixelRepresentation: 0,
    PixelData: [even.buffer],
    _vrMap: { PixelData: bits === 8 ? 'OB' : 'OW' },
    ...tags,
  });
}

const close = (got: Float32Array, want: number[], eps = 1e-6): void => {
  want.forEach((w, i) => {
    assert.ok(Math.abs(got[i] - w) <= eps, `pixel ${i}: got ${got[i]}, want ${w}`);
  });
};

const px = [0, 100, 990, 1000, 1010, 2000, 4095];

test('LINEAR_EXACT window: (x - c) / w + 0.5 inside, 0 and 1 outside', async () => {
  const img = await decodeDicom(
    file(px, { WindowCenter: '1000', WindowWidth: '40', VOILUTFunction: 'LINEAR_EXACT' }),
    'a',
  );
  close(
    img.data,
    px.map((x) => (x <= 980 ? 0 : x > 1020 ? 1 : (x - 1000) / 40 + 0.5)),
  );
});

test('SIGMOID window: 1 / (1 + exp(-4 (x - c) / w))', async () => {
  const img = await decodeDicom(file(px, { WindowCenter: '1000', WindowWidth: '500', VOILUTFunction: 'SIGMOID' }), 'a');
  close(
    img.data,
    px.map((x) => 1 / (1 + Math.exp((-4 * (x - 1000)) / 500))),
  );
});

test('an unknown VOI LUT function is refused naming the file', async () => {
  await assert.rejects(
    decodeDicom(file(px, { WindowCenter: '1', WindowWidth: '2', VOILUTFunction: 'CUBIC' }), '/d/x.dcm'),
    { message: '/d/x.dcm: DICOM VOI LUT Function CUBIC is not one of LINEAR, LINEAR_EXACT, SIGMOID' },
  );
});

test('VOI LUT sequence wins over the window; inputs outside the LUT take its end entries', async () => {
  const lut = { LUTDescriptor: [4, 1000, 8], LUTData: [Uint16Array.from([10, 50, 100, 255]).buffer] };
  const img = await decodeDicom(
    file([990, 1000, 1001, 1002, 1003, 1010], {
      VOILUTSequence: [lut],
      WindowCenter: '0',
      WindowWidth: '2',
    }),
    'a',
  );
  close(
    img.data,
    [10, 10, 50, 100, 255, 255].map((v) => v / 255),
  );
});

test('Modality LUT sequence maps stored values before the window', async () => {
  const lut = {
    LUTDescriptor: [3, 0, 16],
    LUTData: [Uint16Array.from([100, 200, 300, 0]).buffer],
    ModalityLUTType: 'OD',
  };
  const img = await decodeDicom(
    file([0, 1, 2, 7], {
      ModalityLUTSequence: [lut],
      WindowCenter: '200',
      WindowWidth: '201',
    }),
    'a',
  );
  const lin = (x: number) => (x <= 99.5 ? 0 : x > 299.5 ? 1 : (x - 199.5) / 200 + 0.5);
  close(img.data, [100, 200, 300, 300].map(lin));
});

test('Presentation LUT Shape INVERSE inverts MONOCHROME2; with MONOCHROME1 it is the same single inversion', async () => {
  const ramp = [0, 1000, 2000, 4000];
  const direct = (await decodeDicom(file(ramp), 'a')).data;
  const inverse = await decodeDicom(file(ramp, { PresentationLUTShape: 'INVERSE' }), 'a');
  const mono1 = await decodeDicom(
    file(ramp, { PresentationLUTShape: 'INVERSE', PhotometricInterpretation: 'MONOCHROME1' }),
    'a',
  );
  close(
    inverse.data,
    Array.from(direct, (v) => 1 - v),
  );
  close(
    mono1.data,
    Array.from(direct, (v) => 1 - v),
  );
});

test('pixel padding: out of the min/max, shown black, also as a range', async () => {
  const img = await decodeDicom(file([4095, 100, 300, 500], { PixelPaddingValue: 4095 }), 'a');
  close(img.data, [0, 0, 0.5, 1]);
  const ranged = await decodeDicom(file([0, 5, 100, 300], { PixelPaddingValue: 0, PixelPaddingRangeLimit: 10 }), 'a');
  close(ranged.data, [0, 0, 0, 1]);
});

test('RGB: Rec. 601 luma of the samples', async () => {
  const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]);
  const bytes = writeNaturalDataset({
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.7',
    SOPInstanceUID: '2.25.1',
    SamplesPerPixel: 3,
    PhotometricInterpretation: 'RGB',
    PlanarConfiguration: 0,
    Rows: 1,
    Columns: 4,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [rgb.buffer],
    _vrMap: { PixelData: 'OB' },
  });
  close((await decodeDicom(bytes, 'a')).data, [0.299, 0.587, 0.114, 1], 1e-5);
});

function threeFrames(): Buffer {
  return file([0, 10, 20, 5, 5, 30, 9, 8, 7], { Columns: 3, NumberOfFrames: '3' });
}

test('multi-frame: refused by default naming the file; first or all on request', async () => {
  await assert.rejects(decodeDicom(threeFrames(), '/d/cine.dcm'), {
    message: '/d/cine.dcm: DICOM has 3 frames; choose --frames first or --frames all',
  });
  const first = await decodeDicom(threeFrames(), 'a', { frames: 'first' });
  close(first.data, [0, 0.5, 1]);
  const all = await decodeDicomFrames(threeFrames(), 'a', { frames: 'all' });
  assert.equal(all.length, 3);
  close(all[1].data, [0, 0, 1]);
  close(all[2].data, [1, 0.5, 0]);
});

test('bad files: one clear message each, naming the file', async () => {
  const good = file([1, 2, 3, 4]);
  await assert.rejects(decodeDicom(good.subarray(0, good.length - 5), '/d/cut.dcm'), {
    message: '/d/cut.dcm: DICOM file is truncated (buffer overrun)',
  });
  const noPixels = writeNaturalDataset({ SOPClassUID: '1.2.3', SOPInstanceUID: '2.25.2', Rows: 1, Columns: 1 });
  await assert.rejects(decodeDicom(noPixels, '/d/empty.dcm'), {
    message: '/d/empty.dcm: DICOM has no Pixel Data (7FE0,0010)',
  });
  await assert.rejects(decodeDicom(file([1, 2, 3, 4], { Rows: 3 }), '/d/rows.dcm'), {
    message: '/d/rows.dcm: DICOM pixel data is truncated (8 bytes, need 24 for 1 frame(s) of 4x3x1 at 16 bits)',
  });
  await assert.rejects(decodeDicom(Buffer.from('not a dicom at all'), '/d/junk.dcm'), {
    message: '/d/junk.dcm: not a DICOM part-10 file (no "DICM" at byte 128)',
  });
});
