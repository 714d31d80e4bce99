import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

/** Versions of the tool and what it runs on, for the report's settings table. */
export async function versions(): Promise<Record<string, string>> {
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const out: Record<string, string> = {
    confound: pkg.version,
    node: process.versions.node,
    sharp: sharp.versions.sharp ?? '',
    vips: sharp.versions.vips,
  };
  try {
    const { engineInfo } = await import('../engine/index.js');
    Object.assign(out, await engineInfo());
  } catch (err) {
    out.engine = `unavailable (${(err as Error).message.split('\n')[0]})`;
  }
  return out;
}
