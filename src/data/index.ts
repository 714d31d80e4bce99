export type { ImageRecord, Dataset, LoadIssue, Split } from './types.js';
export {
  decodeDicom,
  decodeDicomFrames,
  isDicomBytes,
  setDefaultFrameMode,
  FRAME_MODES,
  type FrameMode,
  type DicomDecodeOptions,
} from './dicom.js';
export {
  readDicomHeader,
  readDicomFields,
  isDicomPath,
  DICOM_HEADER_FIELDS,
  DICOM_IDENTIFIER_FIELDS,
  type DicomHeader,
  type DicomHeaderOptions,
} from './dicom/header.js';
export {
  letterbox,
  letterboxTransform,
  toModelBox,
  toOriginalBox,
  toModelInput,
  modelInput,
  type LetterboxTransform,
  type LetterboxOptions,
  type InputSpec,
  type ModelInput,
} from './letterbox.js';
export type { VerifyLevel } from './loaders/common.js';
export { decodeDicomStored } from './dicom.js';
export {
  derivedUid,
  grayDataset,
  type NaturalDataset,
  readNaturalDataset,
  writeNaturalDataset,
} from './dicom/write.js';
export {
  decodeRaster,
  encodeGrayPng,
  type GrayImage,
  type ImageHeader,
  releaseGray,
  writeGrayPng,
} from './image.js';
export { printSkipped, skipSummary } from './issues.js';
export type { Rect } from './letterbox.js';
export { type AxisWeights, resampleAxis, resampleChanged, resampleInto } from './resample.js';
export { DATASET_FORMATS, type DatasetFormat, detectFormat, loadDataset, type LoadOptions } from './load.js';
export { loadFolder } from './loaders/folder.js';
export { findYoloLabelDirs, loadGrazpedwri } from './loaders/grazpedwri.js';
export { loadManifest } from './loaders/manifest.js';
export { loadMura, parseMuraPath } from './loaders/mura.js';
export { IMAGE_EXTENSIONS, isImagePath, probeImage, readImage, readImageOrSkip } from './read-image.js';
export { splitByPatient, type SplitOptions } from './split.js';
export { SPLITS } from './types.js';
