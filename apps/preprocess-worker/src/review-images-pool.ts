import { InvalidImageError } from "@leukoflow/shared";
import { Piscina } from "piscina";
import type { ReviewImagesTask, ThreadReply } from "./review-images-thread.js";
import type { ReviewImages } from "./review-images.js";

export interface ReviewImagesPool {
  render(task: ReviewImagesTask): Promise<ReviewImages>;
  close(): Promise<void>;
}

/**
 * A fixed number of threads (piscina), one task each at a time, rendering review images: their
 * segmentation is JavaScript over every pixel, which on the event loop would hold up the hot path's
 * jobs and the renewal of BullMQ's locks. A thread that dies fails its task with an ordinary
 * (retriable) Error and is replaced. The thread script is the built one (under vitest too, which
 * runs this file from src/), hence the path through ../dist.
 */
export function createReviewImagesPool(size: number): ReviewImagesPool {
  const pool = new Piscina<ReviewImagesTask, ThreadReply<ReviewImages>>({
    filename: new URL("../dist/review-images-thread.js", import.meta.url).href,
    minThreads: size,
    maxThreads: size,
    concurrentTasksPerWorker: 1,
  });
  return {
    render: async (task) => {
      const reply = await pool.run(task);
      if (reply.ok) return reply.result;
      const { name, message } = reply.error;
      throw name === InvalidImageError.name ? new InvalidImageError(message) : new Error(message);
    },
    close: () => pool.destroy(),
  };
}
