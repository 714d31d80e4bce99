export type { ImageRecord, Dataset, LoadIssue, Split } from './types.js';
export { SPLITS } from './types.js';
export { printSkipped, skipSummary } from './issues.js';
export { decodeRaster, encodeGrayPng, writeGrayPng, type GrayImage, type ImageHeader } from './image.js';
export { readImage, readImageOrSkip, probeImage, isImagePath, IMAGE_EXTENSIONS } from './read-image.js';
export {
  decodeDicom, decodeDicomFrames, isDicomBytes, setDefaultFrameMode, FRAME_MODES, type FrameMode, type DicomDecodeOptions,
} from './dicom.js';
export {
  readDicomHeader, readDicomFields, isDicomPath, DICOM_HEADER_FIELDS, DICOM_IDENTIFIER_FIELDS, type DicomHeader, type DicomHeaderOptions,
} from './dicom/header.js';
export { letterbox, letterboxTransform, toModelBox, toOriginalBox, toModelInput, modelInput, type LetterboxTransform, type LetterboxOptions,
  type InputSpec, type ModelInput } from './letterbox.js';
export { splitByPatient, type SplitOptions } from './split.js';
export { loadDataset, detectFormat, DATASET_FORMATS, type DatasetFormat, type LoadOptions } from './load.js';
export { loadMura, parseMuraPath } from './loaders/mura.js';
export { loadGrazpedwri, findYoloLabelDirs } from './loaders/grazpedwri.js';
export { loadManifest } from './loaders/manifest.js';
export { loadFolder } from './loaders/folder.js';
export type { VerifyLevel } from './loaders/common.js';
