export { loadOnnxServingClassifier, MissingOnnxModelError } from "./serving/onnx-serving-classifier.js";
export { createOnnxSession, DEFAULT_ONNX_THREADS, ONNX_PROVIDERS, OnnxModelLoadError, type OnnxProviderPreference, type OnnxSessionOptions } from "./serving/onnx-session.js";
