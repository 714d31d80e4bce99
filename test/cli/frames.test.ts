import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeDicomFrames, readImage } from '../../src/data/index.js';
import { derivedUid, grayDataset, writeNaturalDataset } from '../../src/data/dicom/write.js';
import { tempDir } from '../data/helpers/fixtures.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [CLI, ...args], { maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    }),
  );
}

/** A folder with a 3-frame DICOM and a single-frame one. */
async function framesFolder(): Promise<string> {
  const dir = join(await tempDir(), 'data');
  const side = 48;
  const data = new Float32Array(side * side * 3);
  // each frame its own pattern (not a shifted copy, which the display window would map to the same image)
  for (let k = 0; k < 3; k++)
    for (let i = 0; i < side * side; i++) data[k * side * side + i] = ((i * (k + 1) * 7) % 97) / 96;
  const tall = grayDataset({ width: side, height: side * 3, data }, 12, {
    SOPInstanceUID: derivedUid('frames', 'multi'),
    Modality: 'DX',
    NumberOfFrames: '3',
  });
  tall.Rows = side; // three side x side frames
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'multi.dcm'), writeNaturalDataset(tall));
  const one = grayDataset({ width: side, height: side, data: data.subarray(0, side * side) }, 12, {
    SOPInstanceUID: derivedUid('frames', 'single'),
    Modality: 'DX',
  });
  await writeFile(join(dir, 'single.dcm'), writeNaturalDataset(one));
  return dir;
}

const column = async (csv: string) =>
  (await readFile(csv, 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0]);

test('detect --frames: error (default) skips the multi-frame file naming it; first reads it once; all once a frame', async () => {
  const dir = await framesFolder();
  const t = join(dir, '..', 't.csv');
  const none = await cli(['detect', '--data', dir, '--out', join(dir, '..', 'b.json'), '--table', t]);
  assert.match(none.stderr, /multi\.dcm: DICOM has 3 frames; choose --frames first or --frames all/);
  assert.deepEqual(await column(t), ['single.dcm']);
  await cli(['detect', '--data', dir, '--out', join(dir, '..', 'b.json'), '--table', t, '--frames', 'first']);
  assert.deepEqual(await column(t), ['multi.dcm', 'single.dcm']);
  const all = await cli(['detect', '--data', dir, '--out', join(dir, '..', 'b.json'), '--table', t, '--frames', 'all']);
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(await column(t), ['multi.dcm#frame-1', 'multi.dcm#frame-2', 'multi.dcm#frame-3', 'single.dcm']);
});

test('mask --frames all --format dicom: one single-frame DICOM per frame, each with its own frame pixels', async () => {
  const dir = await framesFolder();
  const out = join(dir, '..', 'masked');
  const boxes = join(dir, '..', 'boxes.csv');
  await writeFile(boxes, 'path,x,y,w,h,category\nmulti.dcm#frame-2,4,4,8,8,laterality\n');
  const args = ['mask', '--data', dir, '--boxes', boxes, '--mode', 'cover', '--out', out, '--format', 'dicom'];
  const r = await cli(args);
  assert.match(r.stderr, /multi\.dcm: DICOM has 3 frames; choose --frames first or --frames all/);
  const m = await cli([...args, '--frames', 'all']);
  assert.equal(m.code, 0, m.stderr);
  const names = (await readdir(out)).filter((f) => f.endsWith('.dcm')).sort();
  assert.deepEqual(names, ['multi#frame-1.dcm', 'multi#frame-2.dcm', 'multi#frame-3.dcm', 'single.dcm']);
  const want = await decodeDicomFrames(await readFile(join(dir, 'multi.dcm')), 'multi.dcm', { frames: 'all' });
  assert.notDeepEqual(want[0].data, want[1].data);
  for (const k of [0, 2]) assert.deepEqual((await readImage(join(out, `multi#frame-${k + 1}.dcm`))).data, want[k].data);
  // Frame 2 got its box (the box file names the frame's id), and is frame 2 elsewhere.
  const two = await readImage(join(out, 'multi#frame-2.dcm'));
  assert.equal(two.data[6 * 48 + 6], 0);
  assert.equal(two.data[40 * 48 + 40], want[1].data[40 * 48 + 40]);
});
