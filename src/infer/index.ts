export { densenetOnnx, DENSENET_CONFIGS, ONNX_INPUT, ONNX_LOGIT, ONNX_FEATURES } from './densenet-onnx.js';
export { OnnxDenseNet, type OnnxDenseNetOptions } from './onnx-densenet.js';
export { loadPredictor, INFERENCE_BACKENDS, type InferenceBackend, type Predictor, type PredictorOptions } from './predictor.js';
