/**
 * The layers of src/ and the rule every import keeps: a folder imports only folders below it, and only through
 * their index.ts. Read from the TypeScript sources themselves (static and dynamic imports).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Lowest first: the pipeline data -> labels -> variants -> engine -> infer -> train -> explain/audit -> study -> report/view -> cli. */
export const LAYERS = [
  'util',
  'stats',
  'data',
  'synth',
  'labels',
  'variants',
  'engine',
  'infer',
  'train',
  'explain',
  'audit',
  'study',
  'report',
  'view',
  'cli',
] as const;

export interface ImportViolation {
  file: string;
  target: string;
  why: string;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every relative import in src/ that breaks the layering. `root` is the folder holding src/. */
export function checkImports(root: string): ImportViolation[] {
  const src = resolve(root, 'src');
  const out: ImportViolation[] = [];
  for (const file of tsFiles(src)) {
    const from = relative(src, file).split(sep);
    if (from.length < 2) continue; // src/index.ts, the package entry, may import anything
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const target = relative(src, resolve(dirname(file), m[1].replace(/\.js$/, '.ts'))).split(sep);
      const [a, b] = [from[0], target[0]];
      if (a === b) continue;
      const where = relative(root, file);
      const la = LAYERS.indexOf(a as (typeof LAYERS)[number]),
        lb = LAYERS.indexOf(b as (typeof LAYERS)[number]);
      if (la < 0) {
        out.push({ file: where, target: m[1], why: `src/${a} is not in the layer list` });
        continue;
      }
      if (lb < 0) {
        out.push({ file: where, target: m[1], why: `src/${b} is not in the layer list` });
        continue;
      }
      if (lb >= la)
        out.push({ file: where, target: m[1], why: `upward import: ${a} (layer ${la}) imports ${b} (layer ${lb})` });
      else if (!(target.length === 2 && target[1] === 'index.ts'))
        out.push({ file: where, target: m[1], why: `reaches inside ${b}/ instead of importing ${b}/index.ts` });
    }
  }
  return out;
}
