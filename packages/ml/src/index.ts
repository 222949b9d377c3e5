export { selectBackend, type BackendLog, type BackendPreference } from "./backend.js";
export { loadClassifier, type Classifier, type LoadClassifierOptions } from "./classifier.js";
export { decodeToModelInput } from "./data/decode-to-model-input.js";
export {
  METADATA_FILE,
  readModelMetadata,
  type ClassificationMetrics,
  type ClassMetrics,
  type InputNormalization,
  type ModelMetadata,
} from "./model-metadata.js";
