export {
  detectLabels,
  loadDetectorModel,
  refineBox,
  suppress,
  scoreCandidates,
  DEFAULT_MODEL_URL,
  type DetectorModel,
  type DetectedBox,
  type DetectOptions,
  type Rect,
} from './detector.js';
export {
  detectDataset,
  detectionsToCoco,
  detectionTable,
  readCocoTruth,
  readTruth,
  DETECTION_TABLE_COLUMNS,
  DETECTED_COLUMNS,
  type DatasetDetection,
  type TableRow,
} from './run.js';
export { readMarkerStyle, DETECTED_MARKER_STYLES, type DetectedMarkerStyle } from './marker-style.js';
export { readInitials } from './initials.js';
export { evaluate, matchBoxes, iou, type Evaluation, type Match, type CategoryScore } from './evaluate.js';
export {
  emptyTrainingSet,
  addImage,
  addCocoDataset,
  fitDetector,
  fitReader,
  refitReader,
  addImageGlyphs,
  VERIFIER_CLASSES,
  READER_CLASSES,
  type TrainingSet,
} from './train.js';
export { prepare, groupCandidates, findHolder, WORKING_SIDE, type Candidate, type Working } from './candidates.js';
export { FEATURE_NAMES } from './features.js';
export { curationTable, type CurationOptions, type CurationTable } from './curation.js';
export { otsu } from './glyph.js';
export {
  coverage,
  coveredArea,
  coveredShare,
  COVERAGE_DEFAULTS,
  type Coverage,
  type CoverageScore,
  type CoverageOptions,
  type SideReading,
} from './coverage.js';
export { EXPECTED_COVERAGE, type ExpectedCoverage } from './expected.js';
export { markerSide, trueMarkerSide, SIDE_OF_LETTER, type Side } from './side.js';
export { readTrueMarkers, type TrueBoxReading, type TrueMarkerRead } from './true-read.js';
export { readOtherText, readBoxText, tesseractAvailable, tesseractCommand, imagesWithText } from './text-reader.js';
export { scoreTextReading, textWords, type TextReading } from './text-score.js';
