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

/** A BullMQ queue that knows which contract it carries, so `enqueue` can type-check payloads. */
export type LeukoflowQueue<Q extends QueueName> = Queue & { readonly name: Q };

export function createQueue<Q extends QueueName>(name: Q, connection: Redis, prefix: string): LeukoflowQueue<Q> {
  return new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }) as LeukoflowQueue<Q>;
}

/**
 * Adds a job after checking its payload against the contract. The job id is derived from the
 * payload's subject, so enqueueing the same work twice while the first is pending is a no-op.
 */
export async function enqueue<Q extends QueueName, N extends JobName<Q>>(
  queue: LeukoflowQueue<Q>,
  name: N,
  payload: JobPayload<Q, N>,
  jobId: string,
): Promise<void> {
  const parsed = payloadSchema(queue.name, name).safeParse(payload);
  if (!parsed.success) throw new InvalidJobPayloadError(`${queue.name}/${name}: ${parsed.error.message}`);
  await queue.add(name, parsed.data, { jobId });
}
