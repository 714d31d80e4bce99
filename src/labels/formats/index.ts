export { BOX_FORMATS, toCategory, type BoxFormat, type ImageSize } from './common.js';
export { readBoxes, writeBoxes, detectBoxFormat, datasetSizes, indexBoxes, type ReadBoxesOptions } from './io.js';
export { DEFAULT_YOLO_CLASSES, GRAZPEDWRI_YOLO_CLASSES, type YoloClassMap } from './yolo.js';
