import type { ObjectStore } from "@leukoflow/shared";
import type { ClassifyRequest } from "./classify-batch.js";
import type { QueuedImage } from "./classify-handler.js";
import { readModelInput } from "./model-input.js";

export type FetchedImage = { request: ClassifyRequest } | { fetchFailed: unknown };

/** One concurrency window per batch: every image's model input is downloaded at once, each failure kept to its own image. */
export async function fetchBatch(objectStore: ObjectStore, queued: readonly QueuedImage[]): Promise<FetchedImage[]> {
  const startedAt = performance.now();
  const fetched = await Promise.allSettled(
    queued.map((image) => readModelInput(objectStore, image.preprocessedKey, image.input)),
  );
  const fetchMs = performance.now() - startedAt;
  return queued.map(({ preprocessedKey: _key, queueWaitMs, ...image }, i) => {
    const outcome = fetched[i]!;
    if (outcome.status === "rejected") return { fetchFailed: outcome.reason };
    return { request: { ...image, pixels: outcome.value, jobTimings: { queueWaitMs, fetchMs } } };
  });
}
