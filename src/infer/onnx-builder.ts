import { onnxModelType, ONNX_ATTR, ONNX_DTYPE } from './onnx-proto.js';

export type Dim = number | string;
export type ElemType = keyof typeof ONNX_DTYPE;

/** An attribute value, tagged by its ONNX type (a bare number would be ambiguous between int and float). */
export type AttrValue =
  | { i: number }
  | { f: number }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { s: string };

interface Tensor {
  name: string;
  dims: number[];
  data_type: number;
  float_data?: number[];
  int64_data?: number[];
  raw_data?: Uint8Array;
}
interface ValueInfo {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_value: number } | { dim_param: string })[] } } };
}
interface Node {
  op_type: string;
  input: string[];
  output: string[];
  name: string;
  attribute: Record<string, unknown>[];
}

function valueInfo(name: string, dims: readonly Dim[], elem: ElemType): ValueInfo {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: ONNX_DTYPE[elem],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

function attribute(name: string, v: AttrValue): Record<string, unknown> {
  if ('i' in v) return { name, type: ONNX_ATTR.int, i: v.i };
  if ('f' in v) return { name, type: ONNX_ATTR.float, f: v.f };
  if ('ints' in v) return { name, type: ONNX_ATTR.ints, ints: [...v.ints] };
  if ('floats' in v) return { name, type: ONNX_ATTR.floats, floats: [...v.floats] };
  return { name, type: ONNX_ATTR.string, s: Buffer.from(v.s, 'utf8') };
}

/**
 * A tiny ONNX graph writer (opset 13): declare inputs, outputs, constant tensors and nodes, then encode.
 * Used to build test and benchmark models without Python.
 */
export class OnnxGraph {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly initializers: Tensor[] = [];
  private readonly nodes: Node[] = [];
  private readonly metadata: { key: string; value: string }[] = [];

  /** A metadata_props entry (e.g. the preprocessing a model expects). */
  meta(key: string, value: string): this {
    this.metadata.push({ key, value });
    return this;
  }

  input(name: string, dims: readonly Dim[], elem: ElemType = 'float'): this {
    this.inputs.push(valueInfo(name, dims, elem));
    return this;
  }

  output(name: string, dims: readonly Dim[], elem: ElemType = 'float'): this {
    this.outputs.push(valueInfo(name, dims, elem));
    return this;
  }

  /** A float32 constant (initializer). */
  constant(name: string, dims: readonly number[], data: ArrayLike<number>): this {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw new Error(`constant ${name}: ${data.length} values for shape [${dims.join(', ')}]`);
    // A Float32Array goes in as raw little-endian bytes: millions of weights encode in milliseconds.
    const raw =
      data instanceof Float32Array && new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : undefined;
    this.initializers.push(
      raw
        ? { name, dims: [...dims], data_type: ONNX_DTYPE.float, raw_data: raw }
        : { name, dims: [...dims], data_type: ONNX_DTYPE.float, float_data: Array.from(data) },
    );
    return this;
  }

  /** An int64 constant (shapes, axes). */
  int64(name: string, dims: readonly number[], data: readonly number[]): this {
    this.initializers.push({ name, dims: [...dims], data_type: ONNX_DTYPE.int64, int64_data: [...data] });
    return this;
  }

  node(op: string, inputs: readonly string[], outputs: readonly string[], attrs: Record<string, AttrValue> = {}): this {
    this.nodes.push({
      op_type: op,
      input: [...inputs],
      output: [...outputs],
      name: `${op}_${this.nodes.length}`,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return this;
  }

  /** Serialise as an ONNX ModelProto (IR version 7, default-domain opset 13). */
  encode(name = 'confound-toy'): Uint8Array {
    const type = onnxModelType();
    const model = {
      ir_version: 7,
      producer_name: 'confound',
      producer_version: '0.1',
      opset_import: [{ domain: '', version: 13 }],
      metadata_props: this.metadata,
      graph: { name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    };
    const err = type.verify(model);
    if (err) throw new Error(`onnx model ${name}: ${err}`);
    return type.encode(type.fromObject(model)).finish();
  }
}
