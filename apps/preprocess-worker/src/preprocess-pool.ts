import { InvalidImageError } from "@leukoflow/shared";
import type { ModelInputUpload } from "./model-input.js";
import type { PreprocessTask } from "./preprocess-thread.js";
import type { ReviewImages } from "./review-images.js";
import { ThreadPool } from "./thread-pool.js";

type Work = Omit<PreprocessTask, "kind">;

export interface PreprocessPool {
  modelInput(work: Work): Promise<ModelInputUpload>;
  reviewImages(work: Work): Promise<ReviewImages>;
  close(): Promise<void>;
}

/**
 * Threads running the pixel work, so decoding and segmentation never block the event loop that
 * renews BullMQ's job locks. The thread script is the built one (under vitest too, which runs this
 * file from src/), hence the path through ../dist.
 */
export function createPreprocessPool(size: number): PreprocessPool {
  const pool = new ThreadPool<PreprocessTask, unknown>(
    new URL("../dist/preprocess-thread.js", import.meta.url),
    size,
    ({ name, message }) => (name === InvalidImageError.name ? new InvalidImageError(message) : new Error(message)),
  );
  return {
    modelInput: async (work) => (await pool.run({ kind: "model-input", ...work })) as ModelInputUpload,
    reviewImages: async (work) => (await pool.run({ kind: "review-images", ...work })) as ReviewImages,
    close: () => pool.close(),
  };
}
