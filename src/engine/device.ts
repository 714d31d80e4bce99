import { InvalidParameterError } from '../util/index.js';
import { nativeEngine } from './native.js';

/** Where a model runs: the CPU, the first GPU, or GPU N. */
export type Device = 'cpu' | 'cuda' | `cuda:${number}`;
/** What a user may ask for: a device, or `auto` (CUDA when the engine has it and a GPU is visible, else the CPU). */
export type DeviceChoice = Device | 'auto';
export const DEVICE_CHOICES = 'auto | cpu | cuda | cuda:N';

const PATTERN = /^(auto|cpu|cuda|cuda:(0|[1-9]\d{0,2}))$/;

/** Checks the spelling only (no native call), so a config file can be validated on a machine without libtorch. */
export function isDeviceChoice(value: unknown): value is DeviceChoice {
  return typeof value === 'string' && PATTERN.test(value);
}

/** GPUs visible to the engine (0 without CUDA). */
export function cudaDeviceCount(): number {
  const native = nativeEngine();
  return native.cudaAvailable() ? native.cudaDeviceCount() : 0;
}

/**
 * The device a choice means on this machine. `auto` never fails; asking for CUDA where the engine was built
 * without it, or no GPU is visible, is one InvalidParameterError saying so.
 */
export function resolveDevice(choice: string): Device {
  if (!isDeviceChoice(choice)) throw new InvalidParameterError('device', DEVICE_CHOICES, choice);
  const native = nativeEngine();
  if (choice === 'auto') return native.cudaAvailable() ? 'cuda' : 'cpu';
  if (choice === 'cpu') return choice;
  if (!native.cudaAvailable()) {
    throw new InvalidParameterError(
      'device',
      `cpu or auto (this engine was built without CUDA, or no GPU is visible: libtorch ${native.version()})`,
      choice,
    );
  }
  const index = choice === 'cuda' ? 0 : Number(choice.slice(5));
  const count = native.cudaDeviceCount();
  if (index >= count)
    throw new InvalidParameterError('device', `cuda:0 to cuda:${count - 1} (${count} GPU(s) visible)`, choice);
  return choice;
}
