/**
 * Fuzz-style robustness: 200 seeded corruptions of PNG, DICOM, COCO and manifest CSV inputs go through the study's
 * data step (loadDataset, then the labels: readBoxes / detectDataset) and through mask. Whatever the corruption:
 * nothing crashes with an internal error, every error is a plain Error naming the file, the source folder is
 * byte-for-byte unchanged, and the good files are all processed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { encodeGrayPng } from '../../src/data/image.js';
import { loadDataset } from '../../src/data/load.js';
import { readBoxes, writeBoxes } from '../../src/labels/formats/index.js';
import { detectDataset, loadDetectorModel } from '../../src/labels/detect/index.js';
import { maskDataset } from '../../src/variants/index.js';
import { Rng } from '../../src/util/rng.js';
import { writeDicom } from './helpers/dicom-writer.js';
import { gradient } from './helpers/fixtures.js';

const CASES = 200;
const GOOD = ['a.png', 'b.png', 'c.dcm'];

type Kind = 'png' | 'dicom' | 'coco' | 'csv';

/** One random corruption of a file's bytes: cut, flipped bytes, a zeroed run, junk inserted, emptied or replaced. */
function corruptBytes(bytes: Buffer, rng: Rng): { bytes: Buffer; how: string } {
  const at = rng.int(0, Math.max(0, bytes.length - 1));
  switch (rng.int(0, 5)) {
    case 0:
      return { bytes: bytes.subarray(0, at), how: `cut at ${at}` };
    case 1: {
      const b = Buffer.from(bytes);
      const n = rng.int(1, 8);
      for (let k = 0; k < n; k++) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
      return { bytes: b, how: `${n} byte(s) changed` };
    }
    case 2: {
      const b = Buffer.from(bytes);
      const len = rng.int(1, 64);
      b.fill(0, at, Math.min(b.length, at + len));
      return { bytes: b, how: `${len} byte(s) zeroed at ${at}` };
    }
    case 3: {
      const junk = Buffer.from(Array.from({ length: rng.int(1, 32) }, () => rng.int(0, 255)));
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), junk, bytes.subarray(at)]),
        how: `${junk.length} byte(s) inserted at ${at}`,
      };
    }
    case 4:
      return { bytes: Buffer.alloc(0), how: 'emptied' };
    default:
      return {
        bytes: Buffer.from(Array.from({ length: rng.int(1, 400) }, () => rng.int(0, 255))),
        how: 'replaced by noise',
      };
  }
}

/** Text-aware corruptions for JSON and CSV, besides the byte ones: a value swapped for a hostile one, lines doubled. */
function corruptText(text: string, rng: Rng): { bytes: Buffer; how: string } {
  const hostile = ['-5', '1e308', 'NaN', 'null', '""', '"x"', '[]', '{}', '0', '99999', '-1', 'true', ',', '"', '\n'];
  switch (rng.int(0, 3)) {
    case 0: {
      const nums = [...text.matchAll(/-?\d+(\.\d+)?/g)];
      if (nums.length === 0) break;
      const m = nums[rng.int(0, nums.length - 1)];
      const v = hostile[rng.int(0, hostile.length - 1)];
      return {
        bytes: Buffer.from(text.slice(0, m.index) + v + text.slice(m.index! + m[0].length)),
        how: `value ${m[0]} -> ${v}`,
      };
    }
    case 1: {
      const lines = text.split('\n');
      const i = rng.int(0, lines.length - 1);
      lines.splice(i, 0, lines[i]);
      return { bytes: Buffer.from(lines.join('\n')), how: `line ${i + 1} doubled` };
    }
    case 2: {
      const i = rng.int(0, text.length - 1);
      return { bytes: Buffer.from(text.slice(0, i) + text.slice(i + 1)), how: `character ${i} deleted` };
    }
  }
  return corruptBytes(Buffer.from(text), rng);
}

async function folderHash(dir: string): Promise<string> {
  const h = createHash('sha256');
  const walk = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else h.update(relative(dir, p)).update(await readFile(p));
    }
  };
  await walk(dir);
  return h.digest('hex');
}

/** An error a user may see: a plain Error whose message names the file, not an internal TypeError or RangeError. */
function assertNamed(err: unknown, file: string, what: string): void {
  assert.ok(err instanceof Error, `${what}: threw a non-Error ${String(err)}`);
  assert.equal(err.constructor, Error, `${what}: internal ${err.constructor.name}: ${err.message}`);
  assert.ok(err.message.includes(file), `${what}: message does not name ${file}: ${err.message}`);
}

test(`${CASES} seeded corruptions of PNG, DICOM, COCO and CSV inputs: named, skipped, sources untouched, good files processed`, async () => {
  const work = await mkdtemp(join(tmpdir(), 'confound-fuzz-'));
  try {
    // The clean dataset: two PNGs (8 and 16 bit), one DICOM, their COCO boxes and a manifest.
    const base = join(work, 'base');
    await writeFile(join(await mkdirp(base), 'a.png'), await encodeGrayPng(gradient(40, 32, 3)));
    await writeFile(join(base, 'b.png'), await encodeGrayPng(gradient(36, 36, 5, 16)));
    const px = Array.from({ length: 24 * 20 }, (_, i) => (i * 37) % 4096);
    await writeFile(
      join(base, 'c.dcm'),
      writeDicom({ rows: 20, cols: 24, bitsAllocated: 16, bitsStored: 12, pixels: px }),
    );
    const sizes = [
      { id: 'a.png', width: 40, height: 32 },
      { id: 'b.png', width: 36, height: 36 },
      { id: 'c.dcm', width: 24, height: 20 },
    ];
    await writeBoxes(
      join(base, 'boxes.coco.json'),
      [
        { file: 'a.png', x: 2, y: 2, w: 8, h: 6, category: 'laterality' },
        { file: 'b.png', x: 20, y: 4, w: 10, h: 5, category: 'technologist' },
        { file: 'c.dcm', x: 1, y: 1, w: 4, h: 4, category: 'other' },
      ],
      'coco',
      sizes,
    );
    await writeFile(join(base, 'manifest.csv'), 'path,label,patient\na.png,1,P1\nb.png,0,P2\nc.dcm,1,P3\n');
    const model = loadDetectorModel();
    const rng = new Rng('fuzz-20261202');
    const kinds: Kind[] = ['png', 'dicom', 'coco', 'csv'];
    const tally: Record<Kind, { cases: number; rejected: number }> = {
      png: { cases: 0, rejected: 0 },
      dicom: { cases: 0, rejected: 0 },
      coco: { cases: 0, rejected: 0 },
      csv: { cases: 0, rejected: 0 },
    };

    for (let c = 0; c < CASES; c++) {
      const kind = kinds[c % kinds.length];
      const crng = rng.fork(c);
      const src = join(work, `case${c}`);
      await cp(base, src, { recursive: true });
      const target = { png: 'a.png', dicom: 'c.dcm', coco: 'boxes.coco.json', csv: 'manifest.csv' }[kind];
      // the corrupted image goes in beside the good ones, under its own name
      const badName = kind === 'png' ? 'bad.png' : kind === 'dicom' ? 'bad.dcm' : target;
      const original = await readFile(join(base, target));
      const { bytes, how } =
        kind === 'coco' || kind === 'csv' ? corruptText(original.toString('utf8'), crng) : corruptBytes(original, crng);
      await writeFile(join(src, badName), bytes);
      if (kind === 'png' || kind === 'dicom') {
        await writeFile(
          join(src, 'manifest.csv'),
          `path,label,patient\na.png,1,P1\nb.png,0,P2\nc.dcm,1,P3\n${badName},0,P4\n`,
        );
      }
      const what = `case ${c} (${kind}: ${how})`;
      const bad = join(src, badName);
      const before = await folderHash(src);
      tally[kind].cases++;

      // The study's data step: the dataset, then its labels.
      let ds: Awaited<ReturnType<typeof loadDataset>>;
      try {
        ds = await loadDataset(src);
      } catch (err) {
        assert.equal(kind, 'csv', `${what}: loadDataset failed: ${(err as Error).message}`);
        assertNamed(err, bad, what);
        tally[kind].rejected++;
        assert.equal(await folderHash(src), before, `${what}: source changed`);
        continue;
      }
      const ids = ds.records.map((r) => r.id);
      if (kind !== 'csv') for (const g of GOOD) assert.ok(ids.includes(g), `${what}: good file ${g} not loaded`);
      for (const issue of ds.issues)
        assert.ok(issue.message.includes(issue.file) || issue.message.includes(bad), `${what}: ${issue.message}`);
      const det = await detectDataset(ds.records, model, {}, undefined, 1);
      assert.deepEqual(
        det.sizes
          .map((s) => s.id)
          .filter((id) => GOOD.includes(id))
          .sort(),
        ids.filter((id) => GOOD.includes(id)).sort(),
        `${what}: detection`,
      );
      for (const issue of det.issues) assert.ok(issue.message.includes(issue.file), `${what}: ${issue.message}`);

      let boxesOk = true;
      try {
        await readBoxes(join(src, 'boxes.coco.json'), { dataset: ds, warn: () => {} });
      } catch (err) {
        assert.equal(kind, 'coco', `${what}: readBoxes failed: ${(err as Error).message}`);
        assertNamed(err, join(src, 'boxes.coco.json'), what);
        tally[kind].rejected++;
        boxesOk = false;
      }
      if (boxesOk) {
        const out = join(work, `out${c}`);
        const s = await maskDataset({
          data: src,
          boxes: join(src, 'boxes.coco.json'),
          out,
          mode: 'cover',
          concurrency: 1,
        });
        for (const issue of s.issues)
          assert.ok(
            issue.message.includes(issue.file) || issue.message.includes(bad),
            `${what}: mask: ${issue.message}`,
          );
        const failed = new Set(s.issues.map((i) => i.file));
        for (const id of ids)
          if (GOOD.includes(id)) assert.ok(!failed.has(join(src, id)), `${what}: mask failed on good file ${id}`);
        if (kind !== 'csv') assert.ok(s.written >= GOOD.length, `${what}: mask wrote ${s.written}`);
        await rm(out, { recursive: true, force: true });
      }
      assert.equal(await folderHash(src), before, `${what}: source changed`);
      await rm(src, { recursive: true, force: true });
    }
    for (const k of kinds) assert.equal(tally[k].cases, CASES / kinds.length);
    process.stderr.write(`fuzz: ${JSON.stringify(tally)}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

async function mkdirp(dir: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  return dir;
}
