export { PreprocessEnv, loadPreprocessEnv } from "./env.js";
export { startPreprocessWorker, type RunningPreprocessWorker } from "./start.js";
export { preprocessUpload, type PreprocessedUpload, type PreprocessedCell } from "./preprocess-upload.js";
export { decodeUpload, type DecodedUpload } from "./decode-upload.js";
export { createPreprocessPool, type PreprocessPool } from "./preprocess-pool.js";
export { PREPROCESSING_VERSION, recipeId, type PreprocessingRecipe } from "./preprocessing-recipe.js";
export type { PreprocessedManifest } from "./preprocessed-outputs.js";
