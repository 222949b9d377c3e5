import {
  BACKGROUND_PRIORITY,
  enqueue,
  failImage,
  ImageStatus,
  imageJobIds,
  InvalidImageError,
  inShadowSample,
  retriesSpentReason,
  shadowJobId,
  SUBTYPE_TASK,
  reviewImagesJobId,
  type LeukoflowQueue,
  type Logger,
  type Database,
  type ModelVersion,
  type ObjectStore,
} from "@leukoflow/shared";
import type { SpecimenChangePublisher } from "@leukoflow/shared";
import { UnrecoverableError, type Job } from "bullmq";
import { makeModelInput, type ModelInputUpload } from "./model-input.js";
import { outputKeys, storeModelInput } from "./preprocessed-outputs.js";
import { recipeId, type PreprocessingRecipe } from "./preprocessing-recipe.js";
import type { PreprocessImagePayload } from "@leukoflow/contracts";

export interface PreprocessDeps {
  db: Database;
  objectStore: ObjectStore;
  inferenceQueue: LeukoflowQueue<"inference">;
  /** Where the version in shadow, if any, is asked to score the image (its own workers). */
  shadowQueue: LeukoflowQueue<"shadow-inference">;
  reviewImagesQueue: LeukoflowQueue<"review-images">;
  changes: SpecimenChangePublisher;
  logger: Logger;
  maxInputPixels: number;
  fit: PreprocessingRecipe["fit"];
}

/**
 * Turns an uploaded image into the active model's input and hands it to inference: one download,
 * one decode, one upload and one Image update. Review images (mask, overlay, cell crops) are not
 * made here but when first asked for (review-images-handler), or queued behind all else for a lab
 * with eager review images. Replaying the job is harmless: the
 * input's key is derived from the bytes and the recipe, an image that already records that key
 * skips the work, and the classify job id comes from the image.
 */
export async function preprocessImage(
  deps: PreprocessDeps,
  { imageId }: PreprocessImagePayload,
  job: Job,
): Promise<void> {
  const image = await deps.db.images.findWithLabSettings(imageId);
  if (!image) throw new UnrecoverableError(`Image ${imageId} no longer exists`);
  if (image.status === ImageStatus.FAILED) return;
  const { active, shadow } = await deps.db.modelVersions.servedVersions(SUBTYPE_TASK);
  const recipe: PreprocessingRecipe = { inputSize: active.inputSize, stain: active.stainNormalization, fit: deps.fit };
  const keys = outputKeys(image.labId, recipeId(recipe), image.sha256);
  try {
    let geometry: Partial<Pick<ModelInputUpload, "width" | "height" | "format">> = {};
    if (image.preprocessedKey !== keys.modelInput) {
      const bytes = await deps.objectStore.get(image.objectKey);
      const { pixels, ...decoded } = await makeModelInput(bytes, recipe, deps.maxInputPixels);
      await storeModelInput(deps.objectStore, keys, pixels);
      geometry = decoded;
    }
    await deps.db.images.recordPreprocessed(imageId, {
      ...geometry,
      preprocessedKey: keys.modelInput,
      inputSize: recipe.inputSize,
      stainNormalization: recipe.stain,
    });
    await enqueue(deps.inferenceQueue, "classify-image", { v: 1, imageId }, imageJobIds(image).classify);
    await deps.changes.publishImages([{ ...image, imageId }], ImageStatus.PREPROCESSED);
    if (image.lab.eagerReviewImages) {
      await enqueue(deps.reviewImagesQueue, "render-review-images", { v: 1, imageId }, reviewImagesJobId(imageId), {
        priority: BACKGROUND_PRIORITY,
      });
    }
    if (shadow) await queueShadowScore(deps, image, recipe, shadow);
    deps.logger.debug({ imageId, jobId: job.id }, "image preprocessed");
  } catch (error) {
    const attempts = job.opts.attempts ?? 1;
    const lastAttempt = job.attemptsMade + 1 >= attempts;
    if (error instanceof InvalidImageError || lastAttempt) {
      deps.logger.warn({ imageId, err: error }, "image failed preprocessing");
      const reason = error instanceof InvalidImageError ? error.message : retriesSpentReason(attempts, error);
      await failImage(deps, imageId, reason);
      throw new UnrecoverableError(reason);
    }
    throw error;
  }
}

/**
 * When a version is in shadow, takes the input just made for the active one and samples the image's
 * specimen, asks the shadow workers to score the image too. A shadow only watches: nothing here can
 * fail or hold up the image's own classification, already queued.
 */
async function queueShadowScore(
  deps: PreprocessDeps,
  image: { id: string; round: number; specimenId: string },
  recipe: PreprocessingRecipe,
  shadow: ModelVersion,
): Promise<void> {
  try {
    if (shadow.shadowSample === null || !inShadowSample(image.specimenId, shadow.shadowSample)) return;
    if (shadow.inputSize !== recipe.inputSize || shadow.stainNormalization !== recipe.stain) return;
    await enqueue(
      deps.shadowQueue,
      "score-shadow",
      { v: 1, imageId: image.id, modelVersionId: shadow.id },
      shadowJobId(image, shadow.id),
    );
  } catch (error) {
    deps.logger.warn(
      { imageId: image.id, err: error },
      "could not queue the shadow score (the image's result is not affected)",
    );
  }
}
