import { InvalidImageError } from "@leukoflow/shared";
import { UnrecoverableError } from "bullmq";
import type { PreprocessDeps } from "./preprocess-handler.js";
import type { ReviewImagesPool } from "./review-images-pool.js";
import { outputKeys, readManifest, storeReviewImages } from "./preprocessed-outputs.js";
import { recipeId, type PreprocessingRecipe } from "./preprocessing-recipe.js";
import type { RenderReviewImagesPayload } from "@leukoflow/contracts";

export type ReviewImagesDeps = Pick<PreprocessDeps, "db" | "objectStore" | "maxInputPixels" | "fit"> & {
  pool: ReviewImagesPool;
};

/**
 * Makes an image's segmentation mask, overlay and cell crops, for the recipe its model input was
 * made with, and records them on Image.segmentation: asked for by ingest when someone first opens
 * one of them, or ahead of time for a lab that turned eager review images on. Stored once: a
 * recorded image, or a manifest another image with the same bytes left, skips the work.
 */
export async function renderImageReviewImages(
  deps: ReviewImagesDeps,
  { imageId }: RenderReviewImagesPayload,
): Promise<void> {
  const image = await deps.db.images.find(imageId);
  if (!image) throw new UnrecoverableError(`Image ${imageId} no longer exists`);
  if (image.segmentation) return;
  if (image.inputSize === null || image.stainNormalization === null)
    throw new UnrecoverableError(`Image ${imageId} has not been preprocessed`);
  const recipe: PreprocessingRecipe = { inputSize: image.inputSize, stain: image.stainNormalization, fit: deps.fit };
  const keys = outputKeys(image.labId, recipeId(recipe), image.sha256);
  let manifest = await readManifest(deps.objectStore, keys);
  if (!manifest) {
    const bytes = await deps.objectStore.get(image.objectKey);
    try {
      manifest = await storeReviewImages(
        deps.objectStore,
        keys,
        await deps.pool.render({ bytes, recipe, maxInputPixels: deps.maxInputPixels }),
      );
    } catch (error) {
      if (error instanceof InvalidImageError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
  await deps.db.images.setSegmentation(imageId, manifest);
}
