import type { VariantMode } from '../variants/index.js';
import type { LabelCategory } from '../labels/index.js';

/** One arm of the study: a training set built from the same images with some pixels blacked out. */
export interface ArmSpec {
  name: ArmName;
  /** How the images are changed; none for the original arm. */
  mode?: VariantMode;
  /** Only boxes of these categories are used (per-category arms). */
  categories?: readonly LabelCategory[];
  description: string;
}

export const ARM_NAMES = [
  'original',
  'covered',
  'labels-only',
  'random-cover',
  'cover-laterality',
  'cover-technologist',
] as const;
export type ArmName = (typeof ARM_NAMES)[number];

export const ARMS: Record<ArmName, ArmSpec> = {
  original: { name: 'original', description: 'images as they are' },
  covered: { name: 'covered', mode: 'cover', description: 'every label box blacked out (Yi et al.)' },
  'labels-only': {
    name: 'labels-only',
    mode: 'labels-only',
    description: 'everything but the label boxes blacked out (anatomy removed)',
  },
  'random-cover': {
    name: 'random-cover',
    mode: 'random-cover',
    description: 'control: as many black boxes of the same sizes, away from the labels',
  },
  'cover-laterality': {
    name: 'cover-laterality',
    mode: 'cover',
    categories: ['laterality'],
    description: 'only laterality markers blacked out',
  },
  'cover-technologist': {
    name: 'cover-technologist',
    mode: 'cover',
    categories: ['technologist'],
    description: 'only technologist initials blacked out',
  },
};

/** The study's three arms plus the random-cover control. */
export const DEFAULT_ARMS: readonly ArmName[] = ['original', 'covered', 'labels-only', 'random-cover'];
