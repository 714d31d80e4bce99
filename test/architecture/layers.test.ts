import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkImports } from './imports.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('src/ keeps its layers: imports only go down, and across folders only through index.ts', () => {
  const bad = checkImports(ROOT);
  assert.deepEqual(
    bad.map((v) => `${v.file} -> ${v.target}: ${v.why}`),
    [],
  );
});

test('the layer check catches an upward import and an import that reaches inside another folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'confound-layers-'));
  try {
    const put = (path: string, text: string) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    put('src/study/index.ts', 'export const x = 1;\n');
    put('src/data/index.ts', "export { y } from './load.js';\n");
    put('src/data/load.ts', 'export const y = 2;\n');
    put('src/data/bad.ts', "import { x } from '../study/index.js';\nexport const z = x;\n");
    put(
      'src/report/inner.ts',
      "import { y } from '../data/load.js';\nimport { x } from '../study/index.js';\nexport const w = x + y;\n",
    );
    const found = checkImports(root).map((v) => `${v.file}: ${v.why}`);
    assert.deepEqual(found, [
      'src/data/bad.ts: upward import: data (layer 2) imports study (layer 11)',
      'src/report/inner.ts: reaches inside data/ instead of importing data/index.ts',
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
