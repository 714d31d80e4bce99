import { OnnxGraph } from './onnx-builder.js';
import type { Arch, NamedTensor } from '../engine/index.js';

/** The layer sizes native/densenet.cc builds for each architecture (kept in step with config_for_arch). */
export const DENSENET_CONFIGS: Record<
  Arch,
  { growth: number; blocks: readonly number[]; init: number; bnSize: number }
> = {
  densenet121: { growth: 32, blocks: [6, 12, 24, 16], init: 64, bnSize: 4 },
  'densenet-small': { growth: 16, blocks: [3, 6, 8], init: 32, bnSize: 4 },
  'densenet-tiny': { growth: 4, blocks: [2, 2], init: 8, bnSize: 2 },
};

/** Graph input and outputs: images [N, C, H, W]; logit [N, 1]; features (after norm5 + ReLU) [N, F, h, w]. */
export const ONNX_INPUT = 'images';
export const ONNX_LOGIT = 'logit';
export const ONNX_FEATURES = 'features';

const BN_EPSILON = 1e-5; // torch::nn::BatchNorm2d's default

/**
 * Our DenseNet as an ONNX graph (opset 13) with the given weights (torchvision names, as Model.getState or a
 * saved safetensors file holds them), in eval mode: batch norms use their running statistics. Layer for layer
 * what native/densenet.cc computes, so onnxruntime's logits equal the engine's up to float rounding.
 */
export function densenetOnnx(arch: Arch, tensors: readonly NamedTensor[]): Uint8Array {
  const cfg = DENSENET_CONFIGS[arch];
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const g = new OnnxGraph();
  const weight = (name: string): string => {
    const t = byName.get(name);
    if (t?.dtype !== 'float32')
      throw new Error(`densenet ONNX export: weights lack float tensor ${name} (arch ${arch})`);
    g.constant(name, t.shape, t.data as Float32Array);
    return name;
  };
  const channels = byName.get('features.conv0.weight')?.shape[1];
  if (channels === undefined)
    throw new Error(`densenet ONNX export: weights lack features.conv0.weight (arch ${arch})`);
  g.input(ONNX_INPUT, ['N', channels, 'H', 'W']);

  let n = 0;
  const fresh = (what: string) => `${what}_${n++}`;
  const conv = (x: string, w: string, kernel: number, stride: number, pad: number) => {
    const y = fresh('conv');
    g.node('Conv', [x, weight(w)], [y], {
      kernel_shape: { ints: [kernel, kernel] },
      strides: { ints: [stride, stride] },
      pads: { ints: [pad, pad, pad, pad] },
    });
    return y;
  };
  const bnRelu = (x: string, prefix: string, out = fresh('relu')) => {
    const y = fresh('bn');
    const p = (k: string) => weight(`${prefix}.${k}`);
    g.node('BatchNormalization', [x, p('weight'), p('bias'), p('running_mean'), p('running_var')], [y], {
      epsilon: { f: BN_EPSILON },
    });
    g.node('Relu', [y], [out]);
    return out;
  };

  let x = conv(ONNX_INPUT, 'features.conv0.weight', 7, 2, 3);
  x = bnRelu(x, 'features.norm0');
  const pooled = fresh('pool');
  g.node('MaxPool', [x], [pooled], {
    kernel_shape: { ints: [3, 3] },
    strides: { ints: [2, 2] },
    pads: { ints: [1, 1, 1, 1] },
  });
  x = pooled;
  cfg.blocks.forEach((layers, b) => {
    const block = `features.denseblock${b + 1}`;
    const maps = [x];
    for (let l = 1; l <= layers; l++) {
      const layer = `${block}.denselayer${l}`;
      let input = maps[0];
      if (maps.length > 1) {
        input = fresh('cat');
        g.node('Concat', [...maps], [input], { axis: { i: 1 } });
      }
      const bottleneck = conv(bnRelu(input, `${layer}.norm1`), `${layer}.conv1.weight`, 1, 1, 0);
      maps.push(conv(bnRelu(bottleneck, `${layer}.norm2`), `${layer}.conv2.weight`, 3, 1, 1));
    }
    x = fresh('cat');
    g.node('Concat', maps, [x], { axis: { i: 1 } });
    if (b + 1 < cfg.blocks.length) {
      const t = `features.transition${b + 1}`;
      const y = conv(bnRelu(x, `${t}.norm`), `${t}.conv.weight`, 1, 1, 0);
      x = fresh('avg');
      g.node('AveragePool', [y], [x], { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } });
    }
  });
  const features = bnRelu(x, 'features.norm5', ONNX_FEATURES);
  const gap = fresh('gap');
  g.node('GlobalAveragePool', [features], [gap]);
  const flat = fresh('flat');
  g.node('Flatten', [gap], [flat], { axis: { i: 1 } });
  g.node('Gemm', [flat, weight('classifier.weight'), weight('classifier.bias')], [ONNX_LOGIT], { transB: { i: 1 } });
  g.output(ONNX_LOGIT, ['N', 1]);
  g.output(ONNX_FEATURES, ['N', 'F', 'h', 'w']);
  return g.encode(`confound-${arch}`);
}
