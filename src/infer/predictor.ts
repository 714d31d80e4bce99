import { Model, type BatchShape, type Capture, type Device } from '../engine/index.js';
import { checkChoice } from '../util/index.js';
import { OnnxDenseNet } from './onnx-densenet.js';

/** Who runs inference: the libtorch engine, or onnxruntime on our DenseNet exported to ONNX (CPU only). */
export const INFERENCE_BACKENDS = ['engine', 'onnx'] as const;
export type InferenceBackend = (typeof INFERENCE_BACKENDS)[number];

/** What predict, the counterfactual and final-layer CAMs need from a trained model. */
export interface Predictor {
  predict(images: Float32Array, shape: BatchShape): Promise<Float32Array>;
  /** Activations and d logit / d activations; the onnx backend has only the final layer ('features'). */
  capture(images: Float32Array, shape: BatchShape, layer?: string): Promise<Capture>;
  close(): Promise<void>;
}

export interface PredictorOptions {
  backend?: InferenceBackend;
  threads?: number;
  device?: Device;
}

/** A weights file (Model.save) loaded for inference by the chosen backend (default: the engine). */
export async function loadPredictor(path: string, opts: PredictorOptions = {}): Promise<Predictor> {
  const backend = checkChoice('inference backend', opts.backend ?? 'engine', INFERENCE_BACKENDS);
  if (backend === 'onnx' && opts.device === 'cuda')
    throw new Error('the onnx inference backend runs on the CPU; use the engine on cuda');
  if (backend === 'engine') {
    const model = await Model.load(path, { threads: opts.threads, device: opts.device });
    return {
      predict: (images, shape) => model.predict(images, shape),
      capture: (images, shape, layer) => model.capture(images, shape, layer),
      close: async () => model.dispose(),
    };
  }
  const onnx = await OnnxDenseNet.load(path, { threads: opts.threads });
  return {
    predict: (images, shape) => onnx.predict(images, shape),
    capture: (images, shape, layer = 'features') => {
      if (layer !== 'features')
        throw new Error(`the onnx inference backend captures only the final layer ('features'), not ${layer}`);
      return onnx.capture(images, shape);
    },
    close: () => onnx.dispose(),
  };
}
