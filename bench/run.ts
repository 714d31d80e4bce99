/**
 * `npm run bench [-- NAME... [--json]]`: runs the named benchmark modules (all when none are named) and prints
 * their figures, or one JSON object merging them with --json. To add a benchmark, write bench/<name>.ts
 * exporting `bench(args: string[]): Promise<Record<string, number | string>>` (keys prefixed by area) and add
 * one line to BENCHES.
 */
import { checkChoice } from '../src/util/options.js';

type BenchModule = { bench(args: string[]): Promise<Record<string, number | string>> };

const BENCHES: Record<string, () => Promise<BenchModule>> = {
  engine: () => import('./engine.js'),
  compare: () => import('./compare.js'),
  detect: () => import('./detect.js'),
  train: () => import('./train.js'),
  audit: () => import('./audit.js'),
  screen: () => import('./screen.js'),
  dicom: () => import('./dicom.js'),
  dist: () => import('./dist.js'),
  layout: () => import('./layout.js'),
};

const USAGE = `usage: npm run bench -- [NAME...] [--json] [options of the named benchmarks]
Runs the named benchmarks (all when none are named) and prints their figures, or one JSON object with --json.
Benchmarks: ${Object.keys(BENCHES).join(', ')}. Each one's options are in the comment at the top of bench/NAME.ts
(e.g. engine: --steps N --rounds N --precision=bf16).
`;

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const json = argv.includes('--json');
  const names = argv.filter((a) => !a.startsWith('--') && !/^\d/.test(a));
  const selected = names.length
    ? names.map((n) => checkChoice('benchmark', n, Object.keys(BENCHES)))
    : Object.keys(BENCHES);
  const all: Record<string, number | string> = {};
  for (const name of selected) {
    process.stderr.write(`bench ${name}...\n`);
    const result = await (await BENCHES[name]()).bench(argv);
    Object.assign(all, result);
    if (!json) {
      for (const [k, v] of Object.entries(result))
        process.stdout.write(`${k.padEnd(40)} ${typeof v === 'number' ? v.toFixed(2) : v}\n`);
    }
  }
  if (json) process.stdout.write(JSON.stringify(all) + '\n');
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exit(1);
});
