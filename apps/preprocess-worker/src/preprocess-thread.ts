import { parentPort } from "node:worker_threads";
import { makeModelInput } from "./model-input.js";
import type { PreprocessingRecipe } from "./preprocessing-recipe.js";
import { renderReviewImages } from "./review-images.js";
import type { ThreadReply } from "./thread-pool.js";

export interface PreprocessTask {
  kind: "model-input" | "review-images";
  bytes: Uint8Array;
  recipe: PreprocessingRecipe;
  maxInputPixels: number;
}

const work = { "model-input": makeModelInput, "review-images": renderReviewImages };

parentPort!.on("message", ({ kind, bytes, recipe, maxInputPixels }: PreprocessTask) => {
  void work[kind](bytes, recipe, maxInputPixels)
    .then(
      (result): ThreadReply<unknown> => ({ ok: true, result }),
      (error: Error): ThreadReply<unknown> => ({ ok: false, error: { name: error.name, message: error.message } }),
    )
    .then((reply) => parentPort!.postMessage(reply));
});
