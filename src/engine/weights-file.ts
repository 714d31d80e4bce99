import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { NamedTensor } from './native.js';
import { looksLikeTorchCheckpoint, readTorchCheckpoint } from './pth.js';
import { readSafetensors, writeSafetensors } from './safetensors.js';
import { modernName } from './state.js';

/** Starting weights from safetensors or a PyTorch checkpoint (torchvision's .pth), told apart by their bytes. */
export async function readWeightTensors(path: string): Promise<NamedTensor[]> {
  const head = new Uint8Array(16);
  const file = await open(path, 'r').catch((err: Error) => {
    throw new Error(`${path}: cannot open (${err.message})`);
  });
  try {
    await file.read(head, 0, 16, 0);
  } finally {
    await file.close();
  }
  if (looksLikeTorchCheckpoint(head)) return readTorchCheckpoint(path);
  return (await readSafetensors(path)).tensors;
}

/**
 * Writes a PyTorch checkpoint's (or safetensors') tensors as safetensors under current torchvision names
 * ("norm.1" becomes "norm1"), for --weights or for safetensors.torch.load_file.
 */
export async function convertWeights(input: string, output: string): Promise<{ tensors: number; parameters: number }> {
  const tensors = (await readWeightTensors(input)).map((t) => ({ ...t, name: modernName(t.name) }));
  await writeSafetensors(output, tensors, {
    format: 'pt',
    producer: 'confound',
    kind: 'pretrained',
    source: basename(input),
  });
  return { tensors: tensors.length, parameters: tensors.reduce((s, t) => s + t.data.length, 0) };
}
