import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { parseCsvObjects } from '../util/csv.js';
import { screenTable, type ScreenResult } from '../stats/index.js';

/** Read a metadata CSV and screen every column against the outcome. */
export async function runScreen(file: string, outcome: string, leakThreshold = 0.9): Promise<ScreenResult> {
  let text: string;
  try { text = await readFile(file, 'utf8'); } catch (e) { throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  const rows = parseCsvObjects(text);
  if (rows.length === 0) throw new Error(`${file}: no data rows`);
  try { return screenTable(rows, outcome, { leakThreshold }); } catch (e) { throw new Error(`${file}: ${(e as Error).message}`); }
}

function fmtP(p: number | null): string {
  if (p === null) return '-';
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

export function formatScreen(r: ScreenResult): string {
  const width = Math.max(6, ...r.columns.map((c) => c.column.length));
  const lines = [
    `outcome "${r.outcome}" (positive "${r.positive}"), ${r.n} rows${r.outcomeMissing ? `, ${r.outcomeMissing} without outcome skipped` : ''}`,
    `${'column'.padEnd(width)}  kind         effect  p          missing  flags`,
  ];
  for (const c of r.columns) {
    lines.push(`${c.column.padEnd(width)}  ${c.kind.padEnd(11)}  ${c.effect === null ? '     -' : c.effect.toFixed(3).padStart(6)}  ${fmtP(c.p).padEnd(9)}  ${String(c.missing).padStart(7)}  ${c.flags.join(',')}`);
  }
  lines.push('effect: Cramer\'s V (categorical) or 2|AUC - 0.5| (numeric); leak = effect above the leak threshold (likely a proxy of the outcome)');
  return lines.join('\n') + '\n';
}

export function register(program: Command): void {
  program
    .command('screen')
    .description('Confounder screen: association of every metadata column with a binary outcome, strongest first')
    .requiredOption('--table <file>', 'metadata CSV with a header row')
    .requiredOption('--outcome <column>', 'binary outcome column (e.g. label)')
    .option('--leak-threshold <x>', 'flag columns whose effect exceeds this as likely leakage', (v: string) => {
      const x = Number(v);
      if (!(x > 0 && x <= 1)) throw new Error(`--leak-threshold must be a number in (0, 1], got "${v}"`);
      return x;
    }, 0.9)
    .option('--json', 'print one JSON object {outcome, n, columns: [{column, kind, effect, p, flags, ...}]} on stdout')
    .action(async (opts: { table: string; outcome: string; leakThreshold: number; json?: boolean }) => {
      const result = await runScreen(opts.table, opts.outcome, opts.leakThreshold);
      process.stdout.write(opts.json ? JSON.stringify(result) + '\n' : formatScreen(result));
    });
}
