import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { parseCsvTable } from '../util/index.js';
import { writeFileAtomic } from '../util/index.js';
import { screenColumns, type ScreenOptions, type ScreenResult } from '../stats/index.js';
import { DETECTED_COLUMNS } from '../labels/index.js';
import { screenHtml } from '../report/index.js';

/** Read a metadata CSV and screen every column against the outcome. */
export async function runScreen(file: string, outcome: string, opts: ScreenOptions = {}): Promise<ScreenResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // a repeated column name or a ragged row is an error naming the file and the line
  const { header: names, rows } = parseCsvTable(text, file);
  if (names.length === 0 || rows.length === 0) throw new Error(`${file}: no data rows`);
  // columns, not an object per row: a 100,000-row table screens in a few seconds
  const cells = names.map((_, j) => rows.map((r) => r[j]));
  try {
    return screenColumns(names, cells, outcome, { imageColumns: DETECTED_COLUMNS, ...opts });
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

function fmtP(p: number | null): string {
  if (p === null) return '-';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

export function formatScreen(r: ScreenResult): string {
  const width = Math.max(6, ...r.columns.map((c) => c.column.length));
  const lines = [
    `outcome "${r.outcome}" (positive "${r.positive}"), ${r.n} rows${r.outcomeMissing ? `, ${r.outcomeMissing} without outcome skipped` : ''}` +
      `${r.patient ? `; patient key "${r.patient}"` : ''}`,
    `${'column'.padEnd(width)}  kind         V      95% CI         p          blank   flags`,
  ];
  for (const c of r.columns) {
    const ci = c.ci ? `${c.ci[0].toFixed(3)}-${c.ci[1].toFixed(3)}` : '-';
    lines.push(
      `${c.column.padEnd(width)}  ${c.kind.padEnd(11)}  ${c.effect === null ? '    -' : c.effect.toFixed(3)}  ${ci.padEnd(13)}  ` +
        `${fmtP(c.p).padEnd(9)}  ${`${(100 * c.missing_share).toFixed(1)}%`.padStart(6)}  ${c.flags.join(',')}`,
    );
    lines.push(`${' '.repeat(width)}  -> ${c.advice}`);
  }
  lines.push(
    `V: ${r.effect_measure} over levels (categorical) or quantile bins (numeric, dates); p: chi-square (categorical) or` +
      ' Mann-Whitney (numeric); leakage = V at or above the leak threshold, or levels almost pure: remove, not a confounder',
  );
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('screen')
    .description(
      'Confounder screen: association of every metadata column with a binary outcome, strongest first; identifiers and leakage flagged',
    )
    .requiredOption(
      '--table <file>',
      'metadata CSV with a header row (e.g. from confound table or confound detect --table)',
    )
    .requiredOption('--outcome <column>', 'binary outcome column (e.g. label)')
    .option(
      '--leak-threshold <x>',
      'flag columns whose bias-corrected V reaches this as leakage',
      (v: string) => {
        const x = Number(v);
        if (!(x > 0 && x <= 1)) throw new Error(`--leak-threshold must be a number in (0, 1], got "${v}"`);
        return x;
      },
      0.9,
    )
    .option(
      '--keep <column>',
      'never treat this column as an identifier (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--patient <column>',
      'patient key, for "one value per patient" identifiers (default: a column named patient, patient_id, subject, mrn)',
    )
    .option('--html <file>', 'also write a report: ranked chart of V with CIs, flags, one line of advice per column')
    .option(
      '--json',
      'print one JSON object {outcome, n, columns: [{column, kind, effect, ci, p, flags, advice, ...}]} on stdout',
    )
    .action(
      async (opts: {
        table: string;
        outcome: string;
        leakThreshold: number;
        keep: string[];
        patient?: string;
        html?: string;
        json?: boolean;
      }) => {
        const result = await runScreen(opts.table, opts.outcome, {
          leakThreshold: opts.leakThreshold,
          keep: opts.keep,
          patient: opts.patient,
        });
        if (opts.html) await writeFileAtomic(opts.html, screenHtml(result, opts.table));
        process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : formatScreen(result));
      },
    );
}
