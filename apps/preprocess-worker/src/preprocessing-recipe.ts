import type { StainNormalization } from "@leukoflow/contracts";

/** Bumped whenever the pixels this step produces change, so stored outputs are not reused across versions. */
export const PREPROCESSING_VERSION = 2;

/** How an upload becomes the model's input; everything here is part of the output's key. */
export interface PreprocessingRecipe {
  /** Side of the square model input, from the active ModelVersion. */
  inputSize: number;
  /** crop: centre square cropped out; letterbox: whole image fitted and padded with white. */
  fit: "crop" | "letterbox";
  /** From the active ModelVersion: the colour normalization its training images had. */
  stain: StainNormalization;
}

/** e.g. "v2-224", "v2-224-letterbox-reinhard": the defaults add nothing, so keys stay short. */
export function recipeId(recipe: PreprocessingRecipe): string {
  const parts = [`v${PREPROCESSING_VERSION}`, String(recipe.inputSize)];
  if (recipe.fit !== "crop") parts.push(recipe.fit);
  if (recipe.stain !== "none") parts.push(recipe.stain);
  return parts.join("-");
}
