import { readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeJsonAtomic } from './atomic.js';

/**
 * Completion marks for multi-file outputs (a masked copy, a training run, a CAM folder): DIR/.complete is written
 * last, atomically, and removed before an output is (re)written, so a folder without it was cut short.
 */
export const COMPLETE_MARK = '.complete';

export interface CompleteMark {
  what: string;
  finished: string;
  [k: string]: unknown;
}

export async function markComplete(dir: string, what: string, details: Record<string, unknown> = {}): Promise<void> {
  await writeJsonAtomic(join(dir, COMPLETE_MARK), {
    what,
    finished: new Date().toISOString(),
    ...details,
  } satisfies CompleteMark);
}

/** Called before a writer starts changing DIR: from here until markComplete, DIR counts as incomplete. */
export async function clearComplete(dir: string): Promise<void> {
  await rm(join(dir, COMPLETE_MARK), { force: true });
}

export function isComplete(dir: string): boolean {
  return existsSync(join(dir, COMPLETE_MARK));
}

export async function readComplete(dir: string): Promise<CompleteMark | null> {
  try {
    return JSON.parse(await readFile(join(dir, COMPLETE_MARK), 'utf8')) as CompleteMark;
  } catch {
    return null;
  }
}

/** Refuse an output that was cut short, naming it and how to finish it. */
export function requireComplete(dir: string, what: string, howToFinish: string): void {
  if (!isComplete(dir)) {
    throw new Error(
      `${dir}: ${what} is incomplete (no ${COMPLETE_MARK} mark: it was stopped before it finished); ${howToFinish}`,
    );
  }
}
