// Assembles the extra real development films listed in test/real/ from local copies of their public repositories.
// Usage: node scripts/real-extra.mjs --out DIR --repo OWNER/NAME=PATH [--repo OWNER/NAME=PATH ...]
//   PATH is a clone (work tree with images/) or a bare git directory (read with `git show HEAD:images/...`).
// Writes DIR/<folder>/<file> for every film in test/real/boxes.csv and test/real/no-label.csv, and DIR/boxes.csv
// (path,x,y,w,h,category,text) for `confound detect --data DIR --eval DIR/boxes.csv`. No network; existing files
// that match are left alone, so a second run only fills what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// The project's CSV code, as built by `npm ci` (tsc into dist/).
import { parseCsvTable, toCsv } from '../dist/src/util/index.js';

const here = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'real');

function fail(message) {
  process.stderr.write(`real-extra: ${message}\n`);
  process.exit(1);
}

/** A box file's rows as objects (the project's CSV reader: rectangular, errors name the file and line). */
function readCsv(file) {
  const { header, rows } = parseCsvTable(readFileSync(file, 'utf8'), file);
  return rows.map((r) => Object.fromEntries(header.map((k, j) => [k, r[j]])));
}

function parseArgs(argv) {
  const repos = new Map();
  let out;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport')[0] + '\n');
      process.exit(0);
    } else if (a === '--out') out = argv[++i];
    else if (a === '--repo') {
      const [name, path] = (argv[++i] ?? '').split('=');
      if (!name || !path) fail('--repo needs OWNER/NAME=PATH');
      repos.set(name, resolve(path));
    } else fail(`unknown argument ${a} (see --help)`);
  }
  if (!out) fail('--out DIR is required');
  return { out: resolve(out), repos };
}

/** The film's bytes from a clone's work tree, else from a git directory's HEAD. */
function readFilm(repoPath, sourcePath) {
  const inTree = join(repoPath, sourcePath);
  if (existsSync(inTree)) return readFileSync(inTree);
  const r = spawnSync('git', ['--git-dir', repoPath, 'show', `HEAD:${sourcePath}`], { maxBuffer: 1 << 30 });
  if (r.status !== 0 || !r.stdout.length) {
    const why = r.error ? r.error.message : r.stderr.toString().trim() || 'empty';
    throw new Error(`${repoPath}: ${sourcePath} not found as a file nor in git HEAD (${why})`);
  }
  return r.stdout;
}

const { out, repos } = parseArgs(process.argv.slice(2));
const boxes = readCsv(join(here, 'boxes.csv'));
const films = new Map();
for (const r of [...boxes, ...readCsv(join(here, 'no-label.csv'))]) films.set(r.path, r);
let copied = 0;
let kept = 0;
const failed = [];
for (const [path, r] of films) {
  const repoPath = repos.get(r.source_repo);
  if (!repoPath) {
    failed.push(`${path}: no --repo given for ${r.source_repo}`);
    continue;
  }
  const dest = join(out, path);
  try {
    const bytes = readFilm(repoPath, r.source_path);
    if (existsSync(dest) && readFileSync(dest).equals(bytes)) {
      kept++;
      continue;
    }
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest + '.part', bytes);
    renameSync(dest + '.part', dest);
    copied++;
  } catch (err) {
    failed.push(`${path}: ${err.message}`);
  }
}
const cols = ['path', 'x', 'y', 'w', 'h', 'category', 'text'];
const truth = toCsv([cols, ...boxes.map((b) => cols.map((c) => b[c]))]);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'boxes.csv.part'), truth);
renameSync(join(out, 'boxes.csv.part'), join(out, 'boxes.csv'));
process.stdout.write(
  `${copied} film(s) copied, ${kept} already there, ${failed.length} failed; truth in ${out}/boxes.csv\n`,
);
for (const f of failed) process.stderr.write(`  ${f}\n`);
process.exit(failed.length ? 1 : 0);
