import type { SynthLabelCategory } from './labels.js';

/** Label mask codes: 0 no label, 1 laterality marker, 2 technologist initials. */
export const LABEL_CODES: Record<SynthLabelCategory, number> = { laterality: 1, technologist: 2 };
