export type { BatchShape } from './validate.js';
export type { NamedTensor } from './native.js';
export type { ImageVariant, Scorer } from './scorer.js';
export type { LayerCapture } from './capture.js';
export { type Arch, ARCH_NAMES, ARCHS, featureSize, minimumSide } from './archs.js';
export {
  cudaDeviceCount,
  type Device,
  DEVICE_CHOICES,
  type DeviceChoice,
  isDeviceChoice,
  resolveDevice,
} from './device.js';
export { distBackends, ProcessGroup, type ProcessGroupOptions } from './dist.js';
export {
  type Capture,
  type CreateOptions,
  DEFAULT_LAYER,
  engineInfo,
  getThreads,
  type LoadOptions,
  MEMORY_FORMATS,
  type MemoryFormat,
  Model,
  type Precision,
  PRECISIONS,
  setDeterministic,
  setThreads,
} from './model.js';
export { readTorchCheckpoint } from './pth.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  type SafetensorsFile,
  writeSafetensors,
} from './safetensors.js';
export { measureThroughput, type Throughput, type ThroughputOptions } from './throughput.js';
export { type ScriptBatch, TorchScriptModel } from './torchscript.js';
export { convertWeights, readWeightTensors } from './weights-file.js';
