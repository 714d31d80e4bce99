import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';

export type Resolved = { ok: true; path: string } | { ok: false; status: 403 | 404; reason: string };

/**
 * Map a URL path (still percent-encoded, relative, "/"-separated) to a regular file inside `root`.
 * Refused with 403: ".." or "." segments before or after decoding, encoded or literal backslashes and NULs,
 * absolute paths, and anything whose real path (symlinks followed) leaves the real root. Missing files: 404.
 */
export async function resolveInside(root: string, encoded: string): Promise<Resolved> {
  const forbid = (reason: string): Resolved => ({ ok: false, status: 403, reason });
  if (encoded === '' || encoded.startsWith('/')) return forbid('absolute or empty path');
  const segments: string[] = [];
  for (const raw of encoded.split('/')) {
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return forbid('bad percent-encoding');
    }
    if (seg === '' || seg === '.' || seg === '..') return forbid('dot or empty segment');
    if (/[\\/\0]/.test(seg) || /^[a-zA-Z]:/.test(seg)) return forbid('separator, NUL or drive in a segment');
    segments.push(seg);
  }
  const candidate = join(root, ...segments);
  if (isAbsolute(segments.join('/'))) return forbid('absolute path');
  let realRoot: string, real: string;
  try {
    realRoot = await realpath(root);
  } catch {
    return { ok: false, status: 404, reason: 'root missing' };
  }
  try {
    real = await realpath(candidate);
  } catch {
    return { ok: false, status: 404, reason: 'not found' };
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep))
    return forbid('outside the served folder');
  const st = await stat(real);
  if (!st.isFile()) return { ok: false, status: 404, reason: 'not a file' };
  return { ok: true, path: real };
}
