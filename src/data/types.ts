export type Split = 'train' | 'valid' | 'test';
export const SPLITS: readonly Split[] = ['train', 'valid', 'test'];

/** One image of a dataset, whatever format it was loaded from. */
export interface ImageRecord {
  /** Stable key: the path relative to the dataset root, with forward slashes. */
  id: string;
  /** Absolute path of the image file. */
  path: string;
  split?: Split;
  patient: string;
  /** Study key, unique across the dataset (e.g. "XR_WRIST/patient00001/study1_positive"). */
  study: string;
  part?: string;
  /** 1 = abnormal, 0 = normal, undefined = unknown. */
  label?: 0 | 1;
  /** Size and bit depth from the header, when the loader read it (verify 'header'); readers reuse them. */
  width?: number;
  height?: number;
  bits?: 8 | 16;
  /** The frame (0-based) of a multi-frame DICOM this record reads; with --frames all, id then ends in #frame-N. */
  frame?: number;
}

/** A problem with one file: the batch goes on without it. */
export interface LoadIssue {
  file: string;
  message: string;
}

export interface Dataset {
  root: string;
  format: 'mura' | 'grazpedwri' | 'manifest' | 'folder';
  records: ImageRecord[];
  issues: LoadIssue[];
}
