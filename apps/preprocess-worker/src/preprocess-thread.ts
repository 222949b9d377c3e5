import { parentPort } from "node:worker_threads";
import type { PreprocessingRecipe } from "./preprocessing-recipe.js";
import { preprocessUpload, type PreprocessedUpload } from "./preprocess-upload.js";
import type { ThreadReply } from "./thread-pool.js";

export interface PreprocessTask {
  bytes: Uint8Array;
  recipe: PreprocessingRecipe;
  maxInputPixels: number;
}

parentPort!.on("message", async ({ bytes, recipe, maxInputPixels }: PreprocessTask) => {
  let reply: ThreadReply<PreprocessedUpload>;
  try {
    reply = { ok: true, result: await preprocessUpload(bytes, recipe, maxInputPixels) };
  } catch (error) {
    reply = { ok: false, error: { name: (error as Error).name, message: (error as Error).message } };
  }
  parentPort!.postMessage(reply);
});
