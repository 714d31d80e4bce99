import type { Split } from '../data/index.js';
import type { Part } from './anatomy.js';
import type { FontName } from './fonts.js';

export type Finding = 'none' | 'fracture' | 'hardware' | 'lesion';
export const MARKER_STYLES = ['plain', 'box', 'circle', 'tab'] as const;
export type MarkerStyle = (typeof MARKER_STYLES)[number];
/**
 * Marker drawing sets: `standard` (the study's phantom, the default) or `extended`, which also draws, from a
 * random stream of its own, bold thick-stroke markers and faint plastic holders around markers (as real lead
 * markers in holders look), for training a label detector; the default's pixels do not depend on it.
 */
export const MARKER_STYLE_SETS = ['standard', 'extended'] as const;
export type MarkerStyleSet = (typeof MARKER_STYLE_SETS)[number];
export const CONFOUND_ON = ['technologist', 'laterality', 'both'] as const;
export type ConfoundOn = (typeof CONFOUND_ON)[number];
export type HardwareKind = 'kwires' | 'plate' | 'screws';

export interface SynthOptions {
  /** Number of studies (exams); each has 1-4 images. */
  studies: number;
  /** Image side in pixels (square images). */
  size: number;
  seed: number;
  /** Confounding strength on train and valid, 0..1. */
  confound: number;
  /** Confounding strength on test, 0..1 (default weaker: a site/time shift). */
  testConfound: number;
  confoundOn: ConfoundOn;
  /** 0 = obvious findings, 1 = very subtle. */
  difficulty: number;
  bits: 8 | 16;
  /** Burn labels in (default); false gives label-free images, e.g. to pretrain a model that has never seen text. */
  labels?: boolean;
  /** Marker drawing set (absent = standard: the study's phantom, unchanged). */
  markerStyles?: MarkerStyleSet;
  /** Image files: PNG (absent) or DICOM with patient, study, burned-in and laterality tags (synth/dicom.ts). */
  format?: SynthFormat;
}

export type SynthFormat = 'png' | 'dicom';
export const SYNTH_FORMATS: readonly SynthFormat[] = ['png', 'dicom'];

export interface Technologist {
  initials: string;
  font: FontName;
  /** Position on the confounding axis, -1..1 (higher = more abnormal studies when confounded). */
  bias: number;
  /** Relative share of the studies this technologist performs. */
  workload: number;
}

/** Where and how strong a finding is, in the part's canonical frame so every view of a study shows it. */
export interface FindingSpec {
  kind: Exclude<Finding, 'none'>;
  /** Picks one of the part's primary bones (fraction of the list). */
  boneU: number;
  /** Position along the bone, 0..1. */
  t: number;
  /** Angle of a fracture line against the bone's normal, degrees. */
  angle: number;
  /** Visibility 0..1 after difficulty: contrast of the fracture/lesion, displacement of fragments. */
  strength: number;
  /** Lesion offset from the bone axis (fraction of the radius) and size (fraction of the radius). */
  offset: number;
  lesionSize: number;
  hardware: HardwareKind;
  /** Hardware also shows the fracture it fixes. */
  withFracture: boolean;
  count: number;
}

export interface ImageSpec {
  /** Path relative to the dataset folder, e.g. train/XR_WRIST/patient00001/study1_positive/image1.png */
  path: string;
  index: number;
  view: 'ap' | 'lateral';
  seed: number;
}

export interface StudySpec {
  split: Split;
  patient: string;
  part: Part;
  /** 1-based study number within the patient and part, as MURA's studyN folders. */
  number: number;
  /** Study folder relative to the dataset folder, with a trailing slash. */
  folder: string;
  abnormal: boolean;
  /** Generating P(abnormal | technologist, marker style, split). */
  pAbnormal: number;
  finding: FindingSpec | null;
  laterality: 'L' | 'R';
  technologist: Technologist;
  markerStyle: MarkerStyle;
  markerFont: FontName;
  images: ImageSpec[];
}

export interface DatasetMeta {
  options: SynthOptions;
  technologists: Technologist[];
  markerBias: Record<MarkerStyle, number>;
  studies: StudySpec[];
}
