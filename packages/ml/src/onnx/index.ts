export { loadOnnxServingClassifier, MissingOnnxModelError } from "../serving/onnx/onnx-serving-classifier.js";
export {
  createOnnxSession,
  DEFAULT_ONNX_THREADS,
  ONNX_PROVIDERS,
  OnnxModelLoadError,
  type OnnxProviderPreference,
  type OnnxSessionOptions,
} from "../serving/onnx/onnx-session.js";
export {
  exportOnnx,
  FEATURES_OUTPUT,
  LAST_CONV_OUTPUT,
  layerOutputName,
  LOGITS_OUTPUT,
  ONNX_INPUT,
  type OnnxExport,
  type OnnxExportOptions,
} from "./export/export-onnx.js";
export { UnsupportedHeadError, UnsupportedLayerError } from "./export/export-errors.js";
export { ensureModelOnnx, exportModelOnnx, needsOnnxExport } from "./export/write-model-onnx.js";
export { importOnnxModel, OnnxImportError, type ImportOnnxOptions } from "./import/import-onnx-model.js";
