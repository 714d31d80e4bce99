import { checkChoice } from '../util/index.js';
import type { Reliance, Verdict } from './verdict.js';

/** The verdict levels a pipeline can fail on (`--fail-on`). */
export type FailOn = Exclude<Reliance, 'none'>;
export const FAIL_ON: readonly FailOn[] = ['weak', 'strong'];
/** Exit code of audit/study when the verdict reaches --fail-on (1 is a fatal error, 2 skipped items). */
export const EXIT_RELIANCE = 3;

const ORDER: Record<Reliance, number> = { none: 0, weak: 1, strong: 2 };

/** True when the verdict reaches the --fail-on level (weak: weak or strong; strong: strong only). */
export function reaches(reliance: Reliance, failOn: FailOn): boolean {
  return ORDER[reliance] >= ORDER[checkChoice('fail-on', failOn, FAIL_ON)];
}

/** The exit code and the one line a gated run prints: why it fails, or that it passes. */
export function gate(
  v: Pick<Verdict, 'reliance' | 'summary'>,
  failOn: FailOn | undefined,
): { code: 0 | 3; line: string } {
  if (!failOn) return { code: 0, line: `reliance on labels: ${v.summary}` };
  return reaches(v.reliance, failOn)
    ? { code: EXIT_RELIANCE, line: `FAIL (--fail-on ${failOn}): reliance on labels ${v.summary}` }
    : { code: 0, line: `pass (--fail-on ${failOn}): reliance on labels ${v.summary}` };
}

/**
 * The verdict a study stored for its original model: results.json's `counterfactual.verdict` (written from
 * verdictOf on the original arm's counterfactual test). Throws naming the file when it is missing.
 */
export function verdictInResults(results: unknown, file: string): Pick<Verdict, 'reliance' | 'summary'> {
  const cf = (results as { counterfactual?: { verdict?: unknown } } | null)?.counterfactual;
  const v = cf?.verdict as Partial<Verdict> | undefined;
  if (!v || typeof v !== 'object' || !['none', 'weak', 'strong'].includes(v.reliance as string)) {
    throw new Error(
      `${file}: no counterfactual.verdict (the counterfactual test was not run, or the study predates the verdict)`,
    );
  }
  return { reliance: v.reliance as Reliance, summary: typeof v.summary === 'string' ? v.summary : String(v.reliance) };
}
