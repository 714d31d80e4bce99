/**
 * What the shipped detector is expected to cover on real films: label coverage (coverage.ts) measured with
 * `confound detect --data DIR --eval DIR/boxes.csv` on the project's real films: real-dev (26 chest films from three
 * public collections, 48 hand-drawn boxes) and the 85 films boxed later from two of them (test/real/boxes.csv, 149
 * boxes): 48/48 + 133/149 covered, 52/56 + 134/149 boxes right. The rule-based stages were developed on both, so the
 * figure is optimistic, and it says nothing of other body parts or sites. `weights_sha256` ties it to the weights it
 * was measured with: other weights have no expected figure.
 */
export const EXPECTED_COVERAGE = {
  recall: 181 / 197,
  precision: 186 / 205,
  labels: 197,
  images: 111,
  measured_on:
    '111 real chest films (Figure1-COVID 55, Actualmed-COVID 54, NIH ChestX-ray14 2) with 197 hand-drawn boxes; ' +
    'the set the rule-based stages were developed on (optimistic)',
  weights_sha256: 'f5a6b272dde21d4a6b139c2ac23712cdf6c80ab9fe363478bc6dd6ba51b973ce',
} as const;

export type ExpectedCoverage = Omit<typeof EXPECTED_COVERAGE, 'weights_sha256'> & { weights_match: boolean };
