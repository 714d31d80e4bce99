import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { renderReport } from '../report/index.js';

export function register(program: Command): void {
  program
    .command('report')
    .description(
      'Re-render STUDYDIR/report.html (one self-contained HTML file) from results.json and the score, CAM and counterfactual files beside it',
    )
    .argument('<studydir>', 'folder written by `confound study --out`')
    .option('--json', 'print {"report": path, "bytes": n} on stdout')
    .action(async (dir: string, o: { json?: boolean }) => {
      const path = await renderReport(dir);
      const bytes = statSync(path).size;
      if (o.json) process.stdout.write(JSON.stringify({ report: path, bytes }) + '\n');
      else process.stderr.write(`report written: ${path} (${(bytes / 1e6).toFixed(2)} MB)\n`);
    });
}
