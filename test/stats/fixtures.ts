import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

/** Read a committed fixture from test/fixtures/stats (resolved from dist/test/stats at run time). */
export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../../test/fixtures/stats/${name}`, import.meta.url), 'utf8')) as T;
}

export function decodeLabels(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => (c === '1' ? 1 : 0));
}

export function decodeScores(values: number[], scale: number): Float64Array {
  return Float64Array.from(values, (v) => v / scale);
}

/** |actual - expected| <= tol, with a message naming the quantity. */
export function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected} (tolerance ${tol})`);
}

/** Agreement within an absolute tolerance and a relative one, for p-values that can be tiny. */
export function nearRel(actual: number, expected: number, abs: number, rel: number, what: string): void {
  near(actual, expected, abs, what);
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-300,
    `${what}: got ${actual}, expected ${expected} (relative tolerance ${rel})`,
  );
}
