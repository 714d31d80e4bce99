// The public surface of src/labels: other folders import only from here.
export {
  addCocoDataset,
  coverage,
  type Coverage,
  type CoverageScore,
  curationTable,
  DEFAULT_MODEL_URL,
  detectDataset,
  DETECTED_COLUMNS,
  DETECTION_TABLE_COLUMNS,
  detectionsToCoco,
  detectionTable,
  emptyTrainingSet,
  evaluate,
  type Evaluation,
  EXPECTED_COVERAGE,
  type ExpectedCoverage,
  fitDetector,
  loadDetectorModel,
  otsu,
  readTrueMarkers,
  refitReader,
  readTruth,
  type TrueBoxReading,
} from './detect/index.js';
export { dicomCrossCheck } from './dicom-crosscheck.js';
export {
  BOX_FORMATS,
  type BoxFormat,
  datasetSizes,
  type ImageSize,
  indexBoxes,
  readBoxes,
  writeBoxes,
} from './formats/index.js';
export { type BoxIndex, LABEL_CATEGORIES, type LabelBox, type LabelCategory } from './types.js';
