/**
 * What the shipped detector is expected to cover on real films: label coverage (coverage.ts) measured with
 * `confound detect --data real-dev --eval real-dev/boxes.csv` on the project's real development set, 26 chest films
 * from three public collections with 48 hand-drawn label boxes. It is the set the overlay stage was developed on,
 * so the figure is optimistic, and it says nothing of other body parts or sites. `weights_sha256` ties it to the
 * weights it was measured with: other weights have no expected figure.
 */
export const EXPECTED_COVERAGE = {
  recall: 45 / 48,
  precision: 59 / 63,
  labels: 48,
  images: 26,
  measured_on:
    'real-dev: 26 real chest films (Figure1-COVID 16, Actualmed-COVID 8, NIH ChestX-ray14 2), 48 hand-drawn ' +
    'boxes; the development set of the overlay stage (optimistic)',
  weights_sha256: 'f5a6b272dde21d4a6b139c2ac23712cdf6c80ab9fe363478bc6dd6ba51b973ce',
} as const;

export type ExpectedCoverage = Omit<typeof EXPECTED_COVERAGE, 'weights_sha256'> & { weights_match: boolean };
