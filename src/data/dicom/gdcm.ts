import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * JPEG extended with 12-bit samples (1.2.840.10008.1.2.4.51) has no maintained decoder on npm (the Cornerstone
 * libjpeg-turbo build is 8-bit only), so such files go through Debian's gdcmconv (package libgdcm-tools), which
 * writes them back uncompressed. The input is copied to a private temporary folder; the user's file is not touched.
 */
export async function decompressWithGdcm(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'confound-gdcm-'));
  try {
    const src = join(dir, 'in.dcm');
    const dst = join(dir, 'out.dcm');
    await writeFile(src, bytes);
    await new Promise<void>((resolve, reject) => {
      execFile('gdcmconv', ['--raw', src, dst], { timeout: 120_000 }, (err, _out, stderr) => {
        if (!err) return resolve();
        const why =
          (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? "gdcmconv not found; install Debian's libgdcm-tools (scripts/setup.sh does)"
            : stderr.trim().split('\n').pop() || err.message;
        reject(new Error(`${file}: cannot decode 12-bit JPEG extended: ${why}`));
      });
    });
    return await readFile(dst);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
