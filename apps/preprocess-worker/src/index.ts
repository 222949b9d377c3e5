export { PreprocessEnv, loadPreprocessEnv } from "./env.js";
export { startPreprocessWorker, type RunningPreprocessWorker } from "./start.js";
export { normalizeImage, PREPROCESSING_VERSION } from "./normalize-image.js";
