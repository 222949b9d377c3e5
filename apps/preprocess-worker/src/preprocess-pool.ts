import { InvalidImageError } from "@leukoflow/shared";
import type { PreprocessTask } from "./preprocess-thread.js";
import type { PreprocessedUpload } from "./preprocess-upload.js";
import { ThreadPool } from "./thread-pool.js";

export type PreprocessPool = ThreadPool<PreprocessTask, PreprocessedUpload>;

/**
 * Threads running preprocessUpload, so decoding and segmentation never block the event loop that
 * renews BullMQ's job locks. The thread script is the built one (under vitest too, which runs this
 * file from src/), hence the path through ../dist.
 */
export function createPreprocessPool(size: number): PreprocessPool {
  return new ThreadPool(new URL("../dist/preprocess-thread.js", import.meta.url), size, ({ name, message }) =>
    name === InvalidImageError.name ? new InvalidImageError(message) : new Error(message),
  );
}
