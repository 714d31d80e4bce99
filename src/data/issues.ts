import type { LoadIssue } from './types.js';

/** How many per-item lines are printed before "... and N more". */
const SHOWN = 20;

/** The one summary line printed after a batch that read items and skipped some. */
export function skipSummary(read: number, skipped: number, what = 'images'): string {
  return `${read} ${what} read, ${skipped} skipped${skipped ? ' (see above)' : ''}`;
}

/** Name each skipped item on stderr, with the reason: the first 20, then a count of the rest. */
export function printSkipped(issues: readonly LoadIssue[], verb = 'skipped'): void {
  for (const i of issues.slice(0, SHOWN)) process.stderr.write(`${verb} ${i.file}: ${i.message}\n`);
  if (issues.length > SHOWN) process.stderr.write(`... and ${issues.length - SHOWN} more\n`);
}
