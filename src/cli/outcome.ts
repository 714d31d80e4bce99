import { printSkipped, skipSummary } from '../data/index.js';

export { printSkipped, skipSummary };

/**
 * How every command ends, in one place:
 * 0 — everything asked for was done; 2 — done, but some items (images, rows, boxes) were skipped, each named on
 * stderr; 1 — a fatal error (bad option, unreadable input, nothing usable left): nothing or nothing trustworthy
 * was written.
 */
export const EXIT = { ok: 0, fatal: 1, skipped: 2 } as const;

/**
 * End a command that read a batch: when any item was skipped, print the summary line on stderr and make the
 * process exit with EXIT.skipped. `read` counts the items processed, `skipped` those left out (named above).
 */
export function finishBatch(read: number, skipped: number, what = 'images'): void {
  if (skipped === 0) return;
  process.stderr.write(`${skipSummary(read, skipped, what)}\n`);
  if (process.exitCode !== EXIT.fatal) process.exitCode = EXIT.skipped;
}
