export { InferenceEnv, loadInferenceEnv } from "./env.js";
export { startInferenceWorker, type RunningInferenceWorker } from "./start.js";
export { publishModel } from "./model-registry/publish-model.js";
export { readLocalArtifact, type ModelMetadata } from "./model-registry/artifact.js";
