export {
  applyVariant,
  coverRects,
  FILL_MODES,
  type FillMode,
  VARIANT_MODES,
  type VariantMode,
  type VariantOptions,
} from './apply.js';
export {
  anatomyMask,
  CONTROL_MODES,
  controlBoxes,
  type ControlMode,
  type ControlPlacement,
  locationMatchedBoxes,
  NoRoomError,
} from './control-cover.js';
export {
  checkMaskedCopy,
  checkOutside,
  MASK_MANIFEST,
  maskDataset,
  type MaskDatasetOptions,
  type MaskSummary,
} from './mask-dataset.js';
export { randomCoverBoxes } from './random-cover.js';
export { pixelRect, type PixelRect, rectMask, rectsOverlap } from './rects.js';
