export { PreprocessEnv, loadPreprocessEnv } from "./env.js";
export { startPreprocessWorker, type RunningPreprocessWorker } from "./start.js";
export { makeModelInput, type ModelInputUpload } from "./model-input.js";
export { renderReviewImages, type ReviewImages, type ReviewCell } from "./review-images.js";
export { decodeUpload, type DecodedUpload } from "./decode-upload.js";
export { PREPROCESSING_VERSION, recipeId, type PreprocessingRecipe } from "./preprocessing-recipe.js";
