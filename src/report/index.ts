import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.js';

/** Plain report (placeholder until the full report lands): the results as a preformatted block. */
export async function renderReport(dir: string): Promise<string> {
  const results = await readFile(join(dir, 'results.json'), 'utf8');
  const html = `<!doctype html><meta charset="utf-8"><title>confound study</title><pre>${results.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`;
  const path = join(dir, 'report.html');
  await writeFileAtomic(path, html);
  return path;
}
