export { applyVariant, VARIANT_MODES, FILL_MODES, type VariantMode, type FillMode, type VariantOptions } from './apply.js';
export { randomCoverBoxes } from './random-cover.js';
export { pixelRect, rectsOverlap, rectMask, type PixelRect } from './rects.js';
export { maskDataset, checkOutside, checkMaskedCopy, MASK_MANIFEST, type MaskDatasetOptions, type MaskSummary } from './mask-dataset.js';
export { controlBoxes, locationMatchedBoxes, anatomyMask, NoRoomError, CONTROL_MODES, type ControlMode, type ControlPlacement } from './control-cover.js';
