/** One error shape for every invalid argument: which parameter, what was expected, what was given. */
export class InvalidParameterError extends Error {
  constructor(
    readonly parameter: string,
    readonly expected: string,
    readonly actual: unknown,
  ) {
    super(`Expected ${expected} for ${parameter} but received ${describe(actual)}`);
    this.name = 'InvalidParameterError';
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name} of length ${(v as unknown as { length: number }).length}`;
  if (typeof v === 'object') return v.constructor?.name ?? 'object';
  return String(v);
}

/** Check a string option against its allowed values; the error suggests the closest one. */
export function checkChoice<T extends string>(parameter: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const best = [...allowed].sort((a, b) => editDistance(a, value) - editDistance(b, value))[0];
  const err = new InvalidParameterError(parameter, `one of [${allowed.join(', ')}]`, value);
  err.message += best !== undefined ? ` (did you mean "${best}"?)` : '';
  throw err;
}

export function checkInt(parameter: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidParameterError(parameter, `an integer between ${min} and ${max}`, value);
  }
  return value;
}

export function checkNumber(parameter: string, value: number, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidParameterError(parameter, `a finite number between ${min} and ${max}`, value);
  }
  return value;
}

export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
