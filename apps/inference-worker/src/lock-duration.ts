/** BullMQ's default lock: long enough for any ordinary job. */
const MIN_LOCK_DURATION_MS = 30_000;

/**
 * Lock duration for classify jobs. BullMQ renews a job's lock every lockDuration / 2 from a timer,
 * and a forward pass on wasm or cpu blocks the event loop for the whole batch, so a renewal can be
 * late by one batch time. A job is also held while up to concurrency / maxBatchSize batches
 * ahead of it run. Rule: lockDuration ≥ 4 × (maxQueueDelay + (⌈concurrency / maxBatchSize⌉ + 1) ×
 * batch time), with the batch time measured by warming up a full batch, and never below 30 s.
 */
export function classifyLockDurationMs(options: {
  concurrency: number;
  maxBatchSize: number;
  maxQueueDelayMs: number;
  fullBatchMs: number;
}): number {
  const batchesHeld = Math.ceil(options.concurrency / options.maxBatchSize) + 1;
  return Math.max(MIN_LOCK_DURATION_MS, Math.ceil(4 * (options.maxQueueDelayMs + batchesHeld * options.fullBatchMs)));
}
