import type { PreprocessingRecipe } from "./preprocessing-recipe.js";
import { renderReviewImages, type ReviewImages } from "./review-images.js";

export interface ReviewImagesTask {
  bytes: Uint8Array;
  recipe: PreprocessingRecipe;
  maxInputPixels: number;
}

/** What a pool thread answers for one task: a thrown error would reach the pool as a plain Error, losing its class. */
export type ThreadReply<TResult> =
  { ok: true; result: TResult } | { ok: false; error: { name: string; message: string } };

/** One task in a piscina thread. */
export default async function render({
  bytes,
  recipe,
  maxInputPixels,
}: ReviewImagesTask): Promise<ThreadReply<ReviewImages>> {
  try {
    return { ok: true, result: await renderReviewImages(bytes, recipe, maxInputPixels) };
  } catch (error) {
    const { name, message } = error as Error;
    return { ok: false, error: { name, message } };
  }
}
