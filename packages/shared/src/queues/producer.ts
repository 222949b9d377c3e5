import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { InvalidJobPayloadError } from "../errors.js";
import { payloadSchema, type JobName, type JobPayload, type QueueName } from "./contracts.js";

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: "exponential", delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 50_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export function createQueue(name: QueueName, connection: Redis, prefix: string): Queue {
  return new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
}

/**
 * Adds a job after checking its payload against the contract. The job id is derived from the
 * payload's subject, so enqueueing the same work twice while the first is pending is a no-op.
 */
export async function enqueue<Q extends QueueName, N extends JobName<Q>>(
  queue: Queue,
  name: N,
  payload: JobPayload<Q, N>,
  jobId: string,
): Promise<void> {
  const parsed = payloadSchema(queue.name as Q, name).safeParse(payload);
  if (!parsed.success) throw new InvalidJobPayloadError(`${queue.name}/${name}: ${parsed.error.message}`);
  await queue.add(name, parsed.data, { jobId });
}
