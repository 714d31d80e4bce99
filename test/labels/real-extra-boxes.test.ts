/**
 * test/real/: the boxes of the extra real films (their images are not in the repository). The file must stay
 * readable by `detect --eval`, name each film's source in its public repository, and keep the films apart from
 * ../shared/real-dev's; where the images are at hand (../real-extra, or CONFOUND_REAL_EXTRA), every box lies
 * inside its film.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTruth } from '../../src/labels/index.js';
import { probeImage } from '../../src/data/index.js';
import { parseCsvObjects } from '../../src/util/index.js';

const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const BOXES = join(repo, 'test/real/boxes.csv');
const NO_LABEL = join(repo, 'test/real/no-label.csv');
const SOURCES: Record<string, string> = {
  figure1_covid_agchung: 'agchung/Figure1-COVID-chestxray-dataset',
  actualmed_covid_agchung: 'agchung/Actualmed-COVID-chestxray-dataset',
};
const beside = (name: string) => [join(repo, '..', name), join(repo, '../..', name)];
const IMAGES = [process.env.CONFOUND_REAL_EXTRA, ...beside('real-extra')].find(
  (d): d is string => Boolean(d) && existsSync(join(d!, 'boxes.csv')),
);
const REAL_DEV = [process.env.CONFOUND_REAL_DEV, ...beside('shared/real-dev')].find(
  (d): d is string => Boolean(d) && existsSync(join(d!, 'boxes.csv')),
);

const rows = async (file: string) => parseCsvObjects(await readFile(file, 'utf8'));

test('test/real: boxes read as --eval truth; every film named with its source; checked films are listed once', async () => {
  const truth = await readTruth(BOXES);
  const boxRows = await rows(BOXES);
  assert.equal(truth.boxes.length, boxRows.length);
  assert.ok(truth.images.length >= 30, `${truth.images.length} films with labels`);
  const noLabel = await rows(NO_LABEL);
  for (const r of [...boxRows, ...noLabel]) {
    const [folder, file, ...rest] = r.path.split('/');
    assert.equal(rest.length, 0, `${r.path}: <folder>/<file>`);
    assert.equal(r.source_repo, SOURCES[folder], `${r.path}: source repository`);
    assert.equal(r.source_path, `images/${file}`, `${r.path}: source path`);
  }
  const labelled = new Set(truth.images);
  assert.deepEqual(
    noLabel.filter((r) => labelled.has(r.path)).map((r) => r.path),
    [],
    'a film with no label has no boxes',
  );
  assert.equal(new Set(noLabel.map((r) => r.path)).size, noLabel.length);
  if (REAL_DEV) {
    const dev = new Set((await readTruth(join(REAL_DEV, 'boxes.csv'))).images);
    assert.deepEqual(
      truth.images.filter((f) => dev.has(f)),
      [],
      'no film is boxed in real-dev already',
    );
  }
});

test('test/real: every box lies inside its film', { skip: !IMAGES && 'no ../real-extra images' }, async () => {
  const truth = await readTruth(BOXES);
  const sizes = new Map<string, { width: number; height: number }>();
  for (const f of truth.images) sizes.set(f, await probeImage(join(IMAGES!, f)));
  for (const b of truth.boxes) {
    const s = sizes.get(b.file)!;
    assert.ok(
      b.x + b.w <= s.width && b.y + b.h <= s.height,
      `${b.file}: box ${b.x},${b.y},${b.w},${b.h} in ${s.width}x${s.height}`,
    );
  }
});
