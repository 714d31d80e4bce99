// Builds the libtorch engine addon (build/Release/confound_engine.node) with npm's bundled node-gyp.
// Run by `npm install` / `npm ci` / `npm rebuild` through the package's "install" script.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { findLibtorch } from './libtorch.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  process.stderr.write(`\nconfound: cannot build the engine addon: ${message}\n\n`);
  process.exit(1);
}

/** npm sets npm_config_node_gyp for lifecycle scripts; otherwise use the copy bundled with npm. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
    join(dirname(process.execPath), 'node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) fail("node-gyp not found (looked for npm's bundled copy next to " + process.execPath + ')');
  return found;
}

/** Node's own headers when they are installed locally (Debian's nodejs, or a prefix install), so no download. */
function nodeDir() {
  const v = process.versions.node.split('.');
  const prefixes = [process.config.variables.node_prefix, '/usr', '/usr/local', join(dirname(process.execPath), '..')];
  return prefixes.find((p) => {
    const header = p && join(p, 'include/node/node_version.h');
    if (!header || !existsSync(header)) return false;
    const text = readFileSync(header, 'utf8');
    return ['MAJOR', 'MINOR', 'PATCH'].every((k, i) => new RegExp(`define NODE_${k}_VERSION ${v[i]}\\b`).test(text));
  });
}

// The engine is optional: audit (ONNX), detect, mask, compare, screen, report and view work without it. With no
// libtorch, or CONFOUND_SKIP_ADDON=1, say so in one line and let the install succeed; the commands that need
// the engine say what to install when they are run.
if (process.env.CONFOUND_SKIP_ADDON === '1') {
  process.stderr.write(
    'confound: engine addon not built (CONFOUND_SKIP_ADDON=1); train, study, cam and TorchScript audits need it\n',
  );
  process.exit(0);
}
let libtorch;
try {
  libtorch = findLibtorch();
} catch {
  process.stderr.write(
    'confound: libtorch not found, engine addon not built; train, study, cam and TorchScript audits ' +
      'need it (apt-get install libtorch-dev, or LIBTORCH=/path, then npm rebuild confound)\n',
  );
  process.exit(0);
}
process.stderr.write(
  `confound: building the engine addon against ${libtorch.source}` +
    ` (${libtorch.cuda ? 'CUDA' : 'CPU'}, C++11 ABI ${libtorch.cxx11Abi ? 'on' : 'off'}, data parallel: ` +
    `${libtorch.dist.gloo ? (libtorch.dist.nccl ? 'gloo + nccl' : 'gloo') : 'none (no Gloo headers)'})\n`,
);
const dir = nodeDir();
const args = [nodeGyp(), 'rebuild', '--release', '-j', process.env.JOBS ?? '2', ...(dir ? [`--nodedir=${dir}`] : [])];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (result.status !== 0) fail(`node-gyp exited with status ${result.status}; the compiler output is above.`);
