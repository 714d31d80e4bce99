import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { encodeGrayPng } from '../../src/data/image.js';
import { readImage } from '../../src/data/read-image.js';
import { gradient, tempDir } from './helpers/fixtures.js';

test('16-bit PNG round-trips every value exactly', async () => {
  const dir = await tempDir();
  const w = 300,
    h = 220,
    n = w * h;
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = ((i * 7919) % 65536) / 65535;
  const p = join(dir, 'a16.png');
  await writeFile(p, await encodeGrayPng({ width: w, height: h, data, bits: 16 }));
  const back = await readImage(p);
  assert.equal(back.bits, 16);
  assert.equal(back.width, w);
  assert.equal(back.height, h);
  for (let i = 0; i < n; i++) assert.equal(Math.round(back.data[i] * 65535), Math.round(data[i] * 65535), `pixel ${i}`);
});

test('8-bit PNG round-trips and re-encoding is byte-identical', async () => {
  const dir = await tempDir();
  const img = gradient(17, 9, 5);
  const p = join(dir, 'a8.png');
  const bytes = await encodeGrayPng(img);
  await writeFile(p, bytes);
  const back = await readImage(p);
  assert.equal(back.bits, 8);
  for (let i = 0; i < img.data.length; i++) assert.equal(Math.round(back.data[i] * 255), Math.round(img.data[i] * 255));
  assert.deepEqual(await encodeGrayPng(back), bytes);
});

test('JPEG and RGB PNG read as single-channel gray through readImage', async () => {
  const dir = await tempDir();
  const rgb = Buffer.alloc(10 * 10 * 3, 128);
  await sharp(rgb, { raw: { width: 10, height: 10, channels: 3 } })
    .jpeg({ quality: 95 })
    .toFile(join(dir, 'x.jpg'));
  await sharp(rgb, { raw: { width: 10, height: 10, channels: 3 } })
    .png()
    .toFile(join(dir, 'x.png'));
  for (const f of ['x.jpg', 'x.png']) {
    const img = await readImage(join(dir, f));
    assert.equal(img.data.length, 100);
    for (const v of img.data) assert.ok(Math.abs(v - 128 / 255) < 3 / 255, `${f}: ${v}`);
  }
});

test('a corrupt PNG gives an error naming the file', async () => {
  const dir = await tempDir();
  const p = join(dir, 'bad.png');
  await writeFile(p, Buffer.from('not a png at all'));
  await assert.rejects(readImage(p), (e: Error) => e.message.includes(p));
});
