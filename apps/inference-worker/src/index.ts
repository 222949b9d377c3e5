export { InferenceEnv, loadInferenceEnv } from "./env.js";
export { startInferenceWorker, type RunningInferenceWorker } from "./start.js";
