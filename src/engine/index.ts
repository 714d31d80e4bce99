export { Model, DEFAULT_LAYER, setThreads, getThreads, engineInfo, type CreateOptions, type LoadOptions, type Capture } from './model.js';
export { ARCHS, ARCH_NAMES, featureSize, minimumSide, type Arch } from './archs.js';
export { resolveDevice, isDeviceChoice, DEVICE_CHOICES, type Device, type DeviceChoice } from './device.js';
export type { BatchShape } from './validate.js';
export type { NamedTensor } from './native.js';
export { readSafetensors, writeSafetensors, encodeSafetensors, decodeSafetensors, type SafetensorsFile } from './safetensors.js';
export { measureThroughput, type Throughput, type ThroughputOptions } from './throughput.js';
export type { Scorer } from './scorer.js';
export type { LayerCapture } from './capture.js';
