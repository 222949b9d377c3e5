import { InvalidImageError } from "@leukoflow/shared";
import { Piscina } from "piscina";
import type { ModelInputUpload } from "./model-input.js";
import type { PreprocessTask, ThreadReply } from "./preprocess-thread.js";
import type { ReviewImages } from "./review-images.js";

type Work = Omit<PreprocessTask, "kind">;

export interface PreprocessPool {
  modelInput(work: Work): Promise<ModelInputUpload>;
  reviewImages(work: Work): Promise<ReviewImages>;
  close(): Promise<void>;
}

/**
 * A fixed number of threads (piscina), one task each at a time, running the pixel work, so decoding
 * and segmentation never block the event loop that renews BullMQ's job locks. A thread that dies
 * fails its task with an ordinary (retriable) Error and is replaced. The thread script is the built
 * one (under vitest too, which runs this file from src/), hence the path through ../dist.
 */
export function createPreprocessPool(size: number): PreprocessPool {
  const pool = new Piscina<PreprocessTask, ThreadReply<unknown>>({
    filename: new URL("../dist/preprocess-thread.js", import.meta.url).href,
    minThreads: size,
    maxThreads: size,
    concurrentTasksPerWorker: 1,
  });
  const run = async (task: PreprocessTask): Promise<unknown> => {
    const reply = await pool.run(task);
    if (reply.ok) return reply.result;
    const { name, message } = reply.error;
    throw name === InvalidImageError.name ? new InvalidImageError(message) : new Error(message);
  };
  return {
    modelInput: async (work) => (await run({ kind: "model-input", ...work })) as ModelInputUpload,
    reviewImages: async (work) => (await run({ kind: "review-images", ...work })) as ReviewImages,
    close: () => pool.destroy(),
  };
}
