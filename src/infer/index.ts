export { DENSENET_CONFIGS, densenetOnnx, ONNX_FEATURES, ONNX_INPUT, ONNX_LOGIT } from './densenet-onnx.js';
export { type AttrValue, type Dim, type ElemType, OnnxGraph } from './onnx-builder.js';
export { OnnxDenseNet, type OnnxDenseNetOptions } from './onnx-densenet.js';
export { ONNX_ATTR, ONNX_DTYPE, onnxModelType } from './onnx-proto.js';
export {
  INFERENCE_BACKENDS,
  type InferenceBackend,
  loadPredictor,
  type Predictor,
  type PredictorOptions,
} from './predictor.js';
