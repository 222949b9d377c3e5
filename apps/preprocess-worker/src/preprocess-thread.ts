import { makeModelInput } from "./model-input.js";
import type { PreprocessingRecipe } from "./preprocessing-recipe.js";
import { renderReviewImages } from "./review-images.js";

export interface PreprocessTask {
  kind: "model-input" | "review-images";
  bytes: Uint8Array;
  recipe: PreprocessingRecipe;
  maxInputPixels: number;
}

/** What a pool thread answers for one task: a thrown error would reach the pool as a plain Error, losing its class. */
export type ThreadReply<TResult> =
  { ok: true; result: TResult } | { ok: false; error: { name: string; message: string } };

const work = { "model-input": makeModelInput, "review-images": renderReviewImages };

/** One task in a piscina thread. */
export default async function preprocess({
  kind,
  bytes,
  recipe,
  maxInputPixels,
}: PreprocessTask): Promise<ThreadReply<unknown>> {
  try {
    return { ok: true, result: await work[kind](bytes, recipe, maxInputPixels) };
  } catch (error) {
    const { name, message } = error as Error;
    return { ok: false, error: { name, message } };
  }
}
