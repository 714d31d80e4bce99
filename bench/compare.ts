import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { delongPaired } from '../src/stats/index.js';
import { runCompare } from '../src/cli/compare.js';
import { Rng } from '../src/util/rng.js';

const run = promisify(execFile);
const N = 10_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Time `confound compare` on two 10,000-image score files: the pure paired DeLong, the in-process path, and the CLI. */
export async function bench(): Promise<Record<string, number>> {
  const rng = new Rng('bench-compare');
  const labels = new Uint8Array(N);
  const s1 = new Float64Array(N);
  const s2 = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    labels[i] = rng.bool(0.35) ? 1 : 0;
    const common = rng.normal(labels[i] * 1.2, 1);
    s1[i] = Math.round(1000 / (1 + Math.exp(-common))) / 1000;
    s2[i] = Math.round(1000 / (1 + Math.exp(-(common + rng.normal(0, 0.8))))) / 1000;
  }
  const pure: number[] = [];
  for (let k = 0; k < 7; k++) {
    const t0 = performance.now();
    delongPaired(labels, s1, s2);
    pure.push(performance.now() - t0);
  }

  const dir = await mkdtemp(join(tmpdir(), 'confound-bench-compare-'));
  try {
    const files = [s1, s2].map((_s, f) => join(dir, `model${f}.csv`));
    for (const [f, s] of [s1, s2].entries()) {
      const lines = ['id,path,patient,study,label,score'];
      for (let i = 0; i < N; i++) lines.push(`img${i},/d/img${i}.png,p${i >> 2},p${i >> 2}/s1,${labels[i]},${s[i]}`);
      await writeFile(files[f], lines.join('\n') + '\n');
    }
    const inProcess: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      await runCompare(files, 'image');
      inProcess.push(performance.now() - t0);
    }
    const main = new URL('../src/cli/main.js', import.meta.url).pathname;
    const cli: number[] = [];
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      await run(process.execPath, [main, 'compare', '--scores', files[0], '--scores', files[1], '--json']);
      cli.push(performance.now() - t0);
    }
    return {
      'compare.delongPaired_10k_ms': median(pure),
      'compare.read_parse_pair_test_10k_ms': median(inProcess),
      'compare.cli_process_10k_ms': median(cli),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  bench().then((r) => {
    for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(40)} ${v.toFixed(1)}\n`);
  });
}
