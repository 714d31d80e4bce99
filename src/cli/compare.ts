import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { checkChoice } from '../util/index.js';
import { compareScoreSets, keyedScores, parseScoreCsv, type CompareLevel, type CompareResult } from '../stats/index.js';

const LEVELS: readonly CompareLevel[] = ['image', 'study'];

/** Read one or two score CSVs and compare them (the whole `confound compare` path minus printing). */
export async function runCompare(files: readonly string[], level: CompareLevel = 'image'): Promise<CompareResult> {
  if (files.length < 1 || files.length > 2)
    throw new Error(`compare takes one or two --scores files, got ${files.length}`);
  const sets = await Promise.all(
    files.map(async (file) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      return keyedScores(parseScoreCsv(text, file), file, level);
    }),
  );
  return compareScoreSets(sets, level);
}

function fmt(x: number): string {
  return x.toFixed(4);
}
function fmtP(p: number): string {
  return p < 1e-4 ? p.toExponential(2) : p.toFixed(4);
}

export function formatCompare(r: CompareResult): string {
  const width = Math.max(...r.files.map((f) => f.length));
  const lines = [`${r.level} level: n = ${r.n} (${r.n_pos} abnormal, ${r.n - r.n_pos} normal)`];
  r.files.forEach((f, i) =>
    lines.push(`  ${f.padEnd(width)}  AUC ${fmt(r.auc[i])}  95% CI ${fmt(r.ci[i][0])}-${fmt(r.ci[i][1])} (DeLong)`),
  );
  if (r.diff !== null && r.z !== null && r.p !== null) {
    lines.push(
      `  difference (first - second) ${r.diff >= 0 ? '+' : ''}${fmt(r.diff)}  z = ${r.z.toFixed(3)}  p = ${fmtP(r.p)} (paired DeLong, two-sided)`,
    );
  }
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('AUC with DeLong 95% CI for a score file, or two files paired by id with the paired DeLong test')
    .option(
      '--scores <file>',
      'score CSV with columns id,path,patient,study,label,score (give once or twice)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      '--level <level>',
      "image: pair rows by id; study: average each study's image scores, pair by study",
      'image',
    )
    .option('--json', 'print one JSON object {auc, ci, diff, z, p, n, n_pos, level, files} on stdout')
    .action(async (opts: { scores: string[]; level: string; json?: boolean }) => {
      if (opts.scores.length === 0)
        throw new Error('compare needs --scores FILE (once, or twice to compare two models)');
      const level = checkChoice('--level', opts.level, LEVELS);
      const result = await runCompare(opts.scores, level);
      process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : formatCompare(result));
    });
}
