import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { runScreen } from '../../src/cli/screen.js';

async function table(text: string): Promise<string> {
  const p = join(await mkdtemp(join(tmpdir(), 'confound-csv-')), 'meta.csv');
  await writeFile(p, text);
  return p;
}

test('screen refuses a repeated column name, naming the file, the line and the columns (defect 11)', async () => {
  const p = await table('label,site,site\n1,A,B\n0,B,A\n');
  await assert.rejects(
    runScreen(p, 'label'),
    (e: Error) => e.message === `${p}: line 1: column "site" appears more than once (columns 2 and 3)`,
  );
});

test('screen refuses a ragged row, naming the file and the line (defect 11)', async () => {
  const p = await table('label,site,age\n1,A,30\n0,"B\nC",41\n1,A\n0,B,50\n');
  await assert.rejects(
    runScreen(p, 'label'),
    (e: Error) => e.message === `${p}: line 5: 2 field(s), but the header has 3`,
  );
});
