import type { ImageRecord, Split } from '../data/index.js';
import { splitByPatient } from '../data/index.js';

export interface StudySplits {
  train: ImageRecord[];
  valid: ImageRecord[];
  test: ImageRecord[];
  how: string;
}

/**
 * Train/valid/test by patient. A dataset with all three splits keeps them. MURA ships train and valid only:
 * its valid is held out as the test set (as the study did) and 10% of training patients become validation.
 * A dataset with no splits is split 70/10/20 by patient, stratified by label.
 */
export function studySplits(records: readonly ImageRecord[], seed: number): StudySplits {
  const by = (s: Split, rs: readonly ImageRecord[]) => rs.filter((r) => r.split === s);
  const has = (s: Split) => records.some((r) => r.split === s);
  if (has('train') && has('valid') && has('test')) {
    return {
      train: by('train', records),
      valid: by('valid', records),
      test: by('test', records),
      how: 'dataset splits',
    };
  }
  if (has('train') && has('valid')) {
    const inner = splitByPatient(by('train', records), { fractions: { train: 0.9, valid: 0.1 }, seed });
    const test = by('valid', records).map((r) => ({ ...r, split: 'test' as const }));
    return {
      train: by('train', inner),
      valid: by('valid', inner),
      test,
      how: 'dataset valid as test; 10% of train patients as valid',
    };
  }
  const all = splitByPatient(records, { fractions: { train: 0.7, valid: 0.1, test: 0.2 }, seed });
  return {
    train: by('train', all),
    valid: by('valid', all),
    test: by('test', all),
    how: 'patient split 70/10/20 (seeded)',
  };
}
