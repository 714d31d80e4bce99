import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.js';
import { parseCsv, toCsv } from '../../src/util/csv.js';
import { checkChoice } from '../../src/util/options.js';

test('same seed gives the same stream, different seeds differ', () => {
  const a = new Rng(42),
    b = new Rng(42),
    c = new Rng(43);
  const sa = Array.from({ length: 50 }, () => a.uint32());
  assert.deepEqual(
    sa,
    Array.from({ length: 50 }, () => b.uint32()),
  );
  assert.notDeepEqual(
    sa,
    Array.from({ length: 50 }, () => c.uint32()),
  );
});

test('uniform draws fill [0,1) evenly', () => {
  const r = new Rng(1);
  const bins = new Array(10).fill(0);
  for (let i = 0; i < 100000; i++) bins[Math.floor(r.next() * 10)]++;
  for (const b of bins) assert.ok(Math.abs(b - 10000) < 500, `bin count ${b}`);
});

test('csv round-trips quotes, commas and newlines', () => {
  const rows = [
    ['a', 'b,c'],
    ['"q"', 'line\nbreak'],
    ['', 'x'],
  ];
  assert.deepEqual(parseCsv(toCsv(rows)), rows);
});

test('checkChoice suggests the closest value', () => {
  assert.throws(() => checkChoice('mode', 'covr', ['cover', 'labels-only']), /did you mean "cover"/);
});
