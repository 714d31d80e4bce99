import type { LoadIssue } from '../data/types.js';

/**
 * How every command ends, in one place:
 * 0 — everything asked for was done; 2 — done, but some items (images, rows, boxes) were skipped, each named on
 * stderr; 1 — a fatal error (bad option, unreadable input, nothing usable left): nothing or nothing trustworthy
 * was written.
 */
export const EXIT = { ok: 0, fatal: 1, skipped: 2 } as const;

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

/**
 * End a command that read a batch: when any item was skipped, print the summary line on stderr and make the
 * process exit with EXIT.skipped. `read` counts the items processed, `skipped` those left out (named above).
 */
export function finishBatch(read: number, skipped: number, what = 'images'): void {
  if (skipped === 0) return;
  process.stderr.write(`${skipSummary(read, skipped, what)}\n`);
  if (process.exitCode !== EXIT.fatal) process.exitCode = EXIT.skipped;
}
