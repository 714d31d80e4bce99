import type { ImageRecord, Split } from './types.js';
import { Rng } from '../util/index.js';
import { checkNumber } from '../util/index.js';

export interface SplitOptions {
  /** Fractions of patients per split; they are normalised to sum to 1. */
  fractions: Partial<Record<Split, number>>;
  seed: number | string;
}

/**
 * Assign every record a split so that no patient appears in two splits. Patients are stratified by
 * label (a patient is "abnormal" if any of their images is), so each split gets a similar mix.
 * Returns new records; the input is not changed.
 */
export function splitByPatient(records: readonly ImageRecord[], opts: SplitOptions): ImageRecord[] {
  const names = (Object.keys(opts.fractions) as Split[]).filter((s) => (opts.fractions[s] ?? 0) > 0);
  if (names.length === 0) throw new Error('splitByPatient: no split has a positive fraction');
  const total = names.reduce((a, s) => a + checkNumber(`fractions.${s}`, opts.fractions[s]!, 0), 0);
  const patientLabel = new Map<string, string>();
  for (const r of records) {
    const prev = patientLabel.get(r.patient) ?? 'u';
    const lab = r.label === undefined ? 'u' : String(r.label);
    patientLabel.set(r.patient, prev === '1' || lab === '1' ? '1' : prev === '0' || lab === '0' ? '0' : 'u');
  }
  const strata = new Map<string, string[]>();
  for (const [p, l] of [...patientLabel].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    if (!strata.has(l)) strata.set(l, []);
    strata.get(l)!.push(p);
  }
  const rng = new Rng(opts.seed);
  const assign = new Map<string, Split>();
  for (const key of [...strata.keys()].sort()) {
    const patients = rng.fork(key).shuffle(strata.get(key)!.slice());
    let cum = 0,
      start = 0;
    for (let i = 0; i < names.length; i++) {
      cum += opts.fractions[names[i]]! / total;
      const end = i === names.length - 1 ? patients.length : Math.round(cum * patients.length);
      for (let j = start; j < end; j++) assign.set(patients[j], names[i]);
      start = end;
    }
  }
  return records.map((r) => ({ ...r, split: assign.get(r.patient)! }));
}
