import { mkdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * The one rule for every writer: an output folder never lies inside (or is) an input, and every file written
 * lies inside its output folder, both judged after symlinks are followed.
 */

/** The real path of `p` even when it does not exist yet: the deepest existing ancestor's realpath, plus the rest. */
export async function realPathOf(p: string): Promise<string> {
  let head = resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return join(await realpath(head), ...tail.reverse());
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const up = dirname(head);
      if (up === head) return join(head, ...tail.reverse());
      tail.push(basename(head));
      head = up;
    }
  }
}

/** Whether `child` is `parent` or lies under it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** An input the output must stay out of: a folder, or a file (a manifest CSV: its folder holds the dataset). */
export interface InputPath {
  what: string;
  path: string;
}

/**
 * Refuse an output folder that is, or resolves (symlinks followed) to somewhere inside, any input folder (for a
 * file input, such as a manifest CSV, the folder that holds it). Returns the output folder's real path.
 */
export async function checkOutputFolder(out: string, inputs: readonly InputPath[], flag = '--out'): Promise<string> {
  const real = await realPathOf(out);
  for (const input of inputs) {
    const inReal = await realPathOf(input.path);
    const inputIsFile = await stat(inReal).then(
      (s) => s.isFile(),
      () => false,
    );
    const folder = inputIsFile ? dirname(inReal) : inReal;
    if (real === inReal || isInside(folder, real)) {
      throw new Error(
        `${flag} ${out}: output folder must not be the ${input.what} or inside it (${input.path}; ` +
          `${out} resolves to ${real}); inputs are never written to, choose a folder outside it`,
      );
    }
  }
  return real;
}

/** Refuse an output file that is an input file or lies inside an input folder (symlinks followed). */
export async function checkOutputFile(file: string, inputs: readonly InputPath[], flag = '--out'): Promise<string> {
  const real = await realPathOf(file);
  for (const input of inputs) {
    const inReal = await realPathOf(input.path);
    const inputIsDir = await stat(inReal).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (real === inReal || (inputIsDir && isInside(inReal, real))) {
      throw new Error(
        `${flag} ${file}: resolves to ${real}, ${real === inReal ? 'which is' : 'inside'} the ${input.what} ` +
          `(${input.path}); inputs are never written to, choose another path`,
      );
    }
  }
  return real;
}

/**
 * The path to write `rel` (a relative path from a manifest, a dataset id) at inside the output folder `outReal`
 * (a real path, from checkOutputFolder). Throws for absolute paths, "..", and for anything that a symlink inside
 * the output folder would carry outside it.
 */
export async function outputPath(outReal: string, rel: string): Promise<string> {
  if (rel === '' || isAbsolute(rel) || /^[a-zA-Z]:/.test(rel) || rel.split(/[\\/]/).includes('..')) {
    throw new Error(`${rel}: not a relative path inside the output folder; refusing to write outside ${outReal}`);
  }
  const target = join(outReal, rel);
  const real = await realPathOf(target);
  if (!isInside(outReal, real) || real === outReal) {
    throw new Error(
      `${rel}: resolves to ${real}, outside the output folder ${outReal} (a symlink?); refusing to write there`,
    );
  }
  return target;
}

/**
 * mkdir -p that fails instead of looping: Node's recursive mkdir spins for ever at 100% CPU when a component
 * cannot be created but its parent exists (procfs answers ENOENT for /proc/x). Here each missing component is
 * made on its own, and any error but EEXIST ends it with the path named.
 */
export async function makeDirs(dir: string): Promise<void> {
  const target = resolve(dir);
  const missing: string[] = [];
  let head = target;
  for (;;) {
    const st = await stat(head).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
      throw new Error(`${dir}: cannot create folder (${err.code ?? err.message} at ${head})`);
    });
    if (st) {
      if (!st.isDirectory()) throw new Error(`${dir}: cannot create folder (${head} exists and is not a folder)`);
      break;
    }
    missing.push(head);
    const up = dirname(head);
    if (up === head) break;
    head = up;
  }
  for (const d of missing.reverse()) {
    try {
      await mkdir(d);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (
        code === 'EEXIST' &&
        (await stat(d).then(
          (s) => s.isDirectory(),
          () => false,
        ))
      )
        continue;
      throw new Error(`${dir}: cannot create folder ${d} (${code ?? (err as Error).message})`);
    }
  }
}
