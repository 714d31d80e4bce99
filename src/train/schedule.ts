/** Divide the learning rate by `factor` when validation loss has not improved for `patience` epochs (MURA recipe). */
export interface PlateauState {
  lr: number;
  best: number;
  badEpochs: number;
}

export function plateauStep(
  state: PlateauState,
  valLoss: number,
  patience: number,
  factor = 10,
  minDelta = 1e-4,
): PlateauState {
  if (valLoss < state.best - minDelta) return { lr: state.lr, best: valLoss, badEpochs: 0 };
  const bad = state.badEpochs + 1;
  if (bad > patience) return { lr: state.lr / factor, best: state.best, badEpochs: 0 };
  return { lr: state.lr, best: state.best, badEpochs: bad };
}

/**
 * Cosine annealing per epoch: `lr` at epoch 1 falling to near 0 at the last. Needs no validation signal, so a
 * small, noisy validation set cannot stall or collapse the rate.
 */
export function cosineRate(lr: number, epoch: number, epochs: number): number {
  return lr * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / epochs));
}

/** MURA's weighted BCE: positives weigh |normal|/N, negatives |abnormal|/N, so both classes count equally. */
export function classWeights(labels: readonly (0 | 1)[]): { pos: number; neg: number } {
  const n = labels.length;
  const pos = labels.filter((l) => l === 1).length;
  if (pos === 0 || pos === n)
    throw new Error(`training needs both classes: got ${pos} abnormal and ${n - pos} normal images`);
  return { pos: (n - pos) / n, neg: pos / n };
}
