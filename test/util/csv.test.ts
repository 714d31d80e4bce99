import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsvRows } from '../../src/util/csv.js';

test('rows know the line they start on, across quoted newlines and blank lines', () => {
  const rows = parseCsvRows('a,b\r\n"x\ny",1\n\n2,"3"\n');
  assert.deepEqual(rows, [
    { fields: ['a', 'b'], line: 1 },
    { fields: ['x\ny', '1'], line: 2 },
    { fields: ['2', '3'], line: 5 },
  ]);
});
