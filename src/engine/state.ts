import type { NamedTensor } from './native.js';

/** Adam's state travels under these names next to the torchvision ones (see native/engine.h). */
export const OPTIMIZER_PREFIX = 'optimizer.';
export const isOptimizerEntry = (name: string): boolean => name.startsWith(OPTIMIZER_PREFIX);

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Old torchvision DenseNet checkpoints name dense-layer parts "norm.1", "conv.2"; torchvision renames them
 * to "norm1", "conv2" when loading, and so do we.
 */
export function modernName(name: string): string {
  return name.replace(/(denselayer\d+\.(?:norm|relu|conv))\.([12]\.(?:weight|bias|running_mean|running_var))$/, '$1$2');
}

/**
 * The tensors of `file` that replace the model's state, for a file this model wrote: every parameter and
 * buffer present with the model's shape and dtype, nothing unknown. Optimizer entries are kept only when asked.
 */
export function matchState(
  file: readonly NamedTensor[],
  model: readonly NamedTensor[],
  source: string,
  withOptimizer: boolean,
): NamedTensor[] {
  const byName = new Map(file.map((t) => [t.name, t]));
  const expected = new Set(model.map((t) => t.name));
  for (const m of model) {
    const f = byName.get(m.name);
    if (!f) throw new Error(`${source}: no tensor "${m.name}" (is it weights for another architecture?)`);
    if (!sameShape(f.shape, m.shape) || f.dtype !== m.dtype) {
      throw new Error(
        `${source}: tensor "${m.name}" is ${f.dtype} ${shapeText(f.shape)}, the model needs ${m.dtype} ${shapeText(m.shape)}`,
      );
    }
  }
  const unknown = file.filter((t) => !expected.has(t.name) && !isOptimizerEntry(t.name));
  if (unknown.length > 0)
    throw new Error(`${source}: tensor "${unknown[0].name}" is not part of this model (${unknown.length} such)`);
  return file.filter((t) => expected.has(t.name) || (withOptimizer && isOptimizerEntry(t.name)));
}

/** Sums conv0's RGB filters into one channel: a gray image x gives the response of (x, x, x). */
function sumOverInputChannels(t: NamedTensor): NamedTensor {
  const [out, inC, kh, kw] = t.shape;
  const plane = kh * kw;
  const src = t.data as Float32Array;
  const data = new Float32Array(out * plane);
  for (let o = 0; o < out; o++) {
    for (let c = 0; c < inC; c++) {
      for (let p = 0; p < plane; p++) data[o * plane + p] += src[(o * inC + c) * plane + p];
    }
  }
  return { name: t.name, dtype: 'float32', shape: [out, 1, kh, kw], data };
}

export interface Adapted {
  tensors: NamedTensor[];
  /** What was changed or kept, for the caller to report. */
  notes: string[];
}

/**
 * ImageNet-pretrained torchvision weights for this model: conv0 summed over RGB for a 1-channel model, the
 * classifier kept at its initialisation when the file's has another shape (1000 classes), a missing
 * num_batches_tracked kept as is. Anything else missing or mis-shaped is an error naming the tensor.
 */
export function adaptPretrained(file: readonly NamedTensor[], model: readonly NamedTensor[], source: string): Adapted {
  const byName = new Map(file.filter((t) => !isOptimizerEntry(t.name)).map((t) => [modernName(t.name), t]));
  const tensors: NamedTensor[] = [];
  const notes: string[] = [];
  for (const m of model) {
    let f = byName.get(m.name);
    if (f && m.name === 'features.conv0.weight' && m.shape[1] === 1 && f.shape[1] === 3) {
      f = sumOverInputChannels(f);
      notes.push('features.conv0.weight: RGB filters summed into 1 channel');
    }
    if (m.name.startsWith('classifier.') && (!f || !sameShape(f.shape, m.shape))) {
      notes.push(
        `${m.name}: ${f ? `file's ${shapeText(f.shape)} replaced by a new` : 'new'} ${shapeText(m.shape)} at initialisation`,
      );
      continue;
    }
    if (!f && m.name.endsWith('num_batches_tracked')) continue;
    if (!f)
      throw new Error(
        `${source}: pretrained weights lack "${m.name}" (are they a torchvision DenseNet of the same depth?)`,
      );
    if (!sameShape(f.shape, m.shape) || f.dtype !== m.dtype) {
      throw new Error(
        `${source}: pretrained "${m.name}" is ${f.dtype} ${shapeText(f.shape)}, the model needs ${m.dtype} ${shapeText(m.shape)}`,
      );
    }
    tensors.push({ ...f, name: m.name });
  }
  return { tensors, notes };
}
