import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitByPatient } from '../../src/data/split.js';
import type { ImageRecord } from '../../src/data/types.js';
import { Rng } from '../../src/util/rng.js';

function records(): ImageRecord[] {
  const rng = new Rng(7);
  const out: ImageRecord[] = [];
  for (let p = 0; p < 200; p++) {
    const label = (p % 3 === 0 ? 1 : 0) as 0 | 1;
    const k = rng.int(1, 4);
    for (let i = 0; i < k; i++)
      out.push({ id: `p${p}/i${i}.png`, path: `/x/p${p}/i${i}.png`, patient: `p${p}`, study: `p${p}/s1`, label });
  }
  return out;
}

test('no patient lands in two splits, fractions and label mix are close, seeded', () => {
  const recs = records();
  const a = splitByPatient(recs, { fractions: { train: 0.7, valid: 0.15, test: 0.15 }, seed: 3 });
  const b = splitByPatient(recs, { fractions: { train: 0.7, valid: 0.15, test: 0.15 }, seed: 3 });
  const c = splitByPatient(recs, { fractions: { train: 0.7, valid: 0.15, test: 0.15 }, seed: 4 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(
    a.map((r) => r.split),
    c.map((r) => r.split),
  );
  const where = new Map<string, string>();
  for (const r of a) {
    assert.ok(r.split);
    const prev = where.get(r.patient);
    if (prev) assert.equal(prev, r.split, `patient ${r.patient} in two splits`);
    where.set(r.patient, r.split!);
  }
  const patientsPer = { train: 0, valid: 0, test: 0 } as Record<string, number>;
  const posPer = { train: 0, valid: 0, test: 0 } as Record<string, number>;
  for (const [p, s] of where) {
    patientsPer[s]++;
    if (Number(p.slice(1)) % 3 === 0) posPer[s]++;
  }
  assert.ok(Math.abs(patientsPer.train - 140) <= 2, JSON.stringify(patientsPer));
  for (const s of ['train', 'valid', 'test']) {
    const frac = posPer[s] / patientsPer[s];
    assert.ok(Math.abs(frac - 67 / 200) < 0.05, `${s} positive fraction ${frac}`);
  }
});
