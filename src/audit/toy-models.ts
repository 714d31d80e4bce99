import { Rng } from '../util/index.js';
import { OnnxGraph } from '../infer/index.js';

/** A rectangle of the model input, in input pixels. */
export interface Region {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface RegionModelOptions {
  /** Square input side (default 64). */
  size?: number;
  channels?: 1 | 3;
  /** logit = scale * mean(input over region) + bias. */
  scale?: number;
  bias?: number;
  /** Output the logit instead of the probability (no final Sigmoid). */
  logits?: boolean;
  /** Also output the feature map "features" [N, 2, S/pool, S/pool] (region and rest, average-pooled) for CAM. */
  camPool?: number;
}

function regionMask(size: number, r: Region): Float32Array {
  const m = new Float32Array(size * size);
  for (let y = Math.max(0, r.y); y < Math.min(size, r.y + r.h); y++) {
    for (let x = Math.max(0, r.x); x < Math.min(size, r.x + r.w); x++) m[y * size + x] = 1;
  }
  return m;
}

/**
 * A model that looks only at one region of its input: p = sigmoid(scale * mean over the region + bias), as
 * output "prob" [N, 1]. Put the region on a label and it is a pure shortcut model; on the anatomy and it
 * ignores labels. With camPool it also exposes a final feature map and its classifier weights for CAM.
 */
export function regionModel(
  region: Region,
  opts: RegionModelOptions = {},
): { onnx: Uint8Array; camWeights?: number[] } {
  const S = opts.size ?? 64,
    C = opts.channels ?? 1,
    scale = opts.scale ?? 8,
    bias = opts.bias ?? -4;
  const mask = regionMask(S, region);
  const area = mask.reduce((a, b) => a + b, 0);
  if (area === 0) throw new Error('regionModel: the region lies outside the input');
  const g = new OnnxGraph().input('image', ['N', C, S, S]).output('prob', ['N', 1]);
  g.constant('mask', [1, 1, S, S], mask);
  // Channel mean first, so a 3-channel input with equal channels behaves like the 1-channel one.
  g.node('ReduceMean', ['image'], ['gray'], { axes: { ints: [1] }, keepdims: { i: 1 } });
  g.node('Mul', ['gray', 'mask'], ['masked']);
  let logitIn: string;
  let camWeights: number[] | undefined;
  if (opts.camPool) {
    const rest = mask.map((v) => 1 - v);
    g.constant('rest', [1, 1, S, S], rest);
    g.node('Mul', ['gray', 'rest'], ['outside']);
    g.node('Concat', ['masked', 'outside'], ['both'], { axis: { i: 1 } });
    g.node('AveragePool', ['both'], ['features'], {
      kernel_shape: { ints: [opts.camPool, opts.camPool] },
      strides: { ints: [opts.camPool, opts.camPool] },
    });
    g.output('features', ['N', 2, Math.floor(S / opts.camPool), Math.floor(S / opts.camPool)]);
    g.node('GlobalAveragePool', ['features'], ['pooled']);
    g.node('Flatten', ['pooled'], ['flat'], { axis: { i: 1 } });
    // mean(features channel 0) = sum over region / S^2, so the weight rescales it to the region mean.
    camWeights = [(scale * S * S) / area, 0];
    g.constant('W', [2, 1], camWeights);
    g.node('MatMul', ['flat', 'W'], ['logit0']);
    logitIn = 'logit0';
  } else {
    // Opset 13 ReduceSum takes its axes as an input tensor.
    g.int64('axes', [3], [1, 2, 3]);
    g.node('ReduceSum', ['masked', 'axes'], ['sum'], { keepdims: { i: 1 } });
    g.node('Flatten', ['sum'], ['flat'], { axis: { i: 1 } });
    g.constant('k', [1], [scale / area]);
    g.node('Mul', ['flat', 'k'], ['logit0']);
    logitIn = 'logit0';
  }
  g.constant('b', [1], [bias]);
  if (opts.logits) g.node('Add', [logitIn, 'b'], ['prob']);
  else {
    g.node('Add', [logitIn, 'b'], ['logit']);
    g.node('Sigmoid', ['logit'], ['prob']);
  }
  return { onnx: g.encode('region-model'), camWeights };
}

/**
 * A small seeded random CNN for throughput benchmarks: three stride-2 3x3 convolutions with ReLU, global
 * average pooling, a linear layer and a sigmoid. Input [N, channels, size, size], output "prob" [N, 1].
 */
export function convModel(size = 224, channels: 1 | 3 = 3, seed = 1): Uint8Array {
  const rng = new Rng(seed);
  const widths = [channels, 8, 16, 32];
  const g = new OnnxGraph().input('image', ['N', channels, size, size]).output('prob', ['N', 1]);
  let x = 'image';
  for (let l = 1; l < widths.length; l++) {
    const cin = widths[l - 1],
      cout = widths[l];
    const sd = Math.sqrt(2 / (cin * 9));
    g.constant(
      `w${l}`,
      [cout, cin, 3, 3],
      Array.from({ length: cout * cin * 9 }, () => rng.normal(0, sd)),
    );
    g.constant(`b${l}`, [cout], new Array(cout).fill(0));
    g.node('Conv', [x, `w${l}`, `b${l}`], [`c${l}`], {
      kernel_shape: { ints: [3, 3] },
      strides: { ints: [2, 2] },
      pads: { ints: [1, 1, 1, 1] },
    });
    g.node('Relu', [`c${l}`], [`r${l}`]);
    x = `r${l}`;
  }
  const last = widths[widths.length - 1];
  g.node('GlobalAveragePool', [x], ['gap']);
  g.node('Flatten', ['gap'], ['flat'], { axis: { i: 1 } });
  g.constant(
    'fcW',
    [1, last],
    Array.from({ length: last }, () => rng.normal(0, 1 / Math.sqrt(last))),
  );
  g.constant('fcB', [1], [0]);
  g.node('Gemm', ['flat', 'fcW', 'fcB'], ['logit'], { transB: { i: 1 } });
  g.node('Sigmoid', ['logit'], ['prob']);
  return g.encode('conv-bench');
}
