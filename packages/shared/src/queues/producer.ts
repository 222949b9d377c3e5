import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { InvalidJobPayloadError } from "../errors.js";
import { payloadSchema, type JobName, type JobPayload, type QueueName } from "@leukoflow/contracts";

/** How often a job is tried, and the first of its exponentially growing waits between tries. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** 8 attempts from 1 s: about two minutes of retries, enough to ride out a dependency's restart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 8, backoffMs: 1_000 };

/** The retry policy a process's environment sets (JOB_ATTEMPTS, JOB_BACKOFF_MS). */
export function retryPolicyFromEnv(env: { JOB_ATTEMPTS: number; JOB_BACKOFF_MS: number }): RetryPolicy {
  return { attempts: env.JOB_ATTEMPTS, backoffMs: env.JOB_BACKOFF_MS };
}

function jobOptions(retry: RetryPolicy): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: "exponential", delay: retry.backoffMs },
    removeOnComplete: { age: 24 * 3600, count: 50_000 },
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

/** BullMQ priority of work made ahead of a request for it (a lab's eager review images): after all else. */
export const BACKGROUND_PRIORITY = 100;

/** A BullMQ queue that knows which contract it carries, so `enqueue` can type-check payloads. */
export type LeukoflowQueue<Q extends QueueName> = Queue & { readonly name: Q };

export function createQueue<Q extends QueueName>(
  name: Q,
  connection: Redis,
  prefix: string,
  retry: RetryPolicy = DEFAULT_RETRY_POLICY,
): LeukoflowQueue<Q> {
  const queue = new Queue(name, { connection, prefix, defaultJobOptions: jobOptions(retry) }) as LeukoflowQueue<Q>;
  // A queue only re-emits its connection's errors, which logConnectionOutages reports once per outage.
  queue.on("error", () => undefined);
  return queue;
}

/**
 * Adds a job after checking its payload against the contract. The job id is derived from the
 * payload's subject, so enqueueing the same work twice while the first is pending is a no-op.
 * A job with a priority waits behind every job without one (BACKGROUND_PRIORITY for work nobody waits on).
 */
export async function enqueue<Q extends QueueName, N extends JobName<Q>>(
  queue: LeukoflowQueue<Q>,
  name: N,
  payload: JobPayload<Q, N>,
  jobId: string,
  options: Pick<JobsOptions, "priority"> = {},
): Promise<void> {
  const parsed = payloadSchema(queue.name, name).safeParse(payload);
  if (!parsed.success) throw new InvalidJobPayloadError(`${queue.name}/${name}: ${parsed.error.message}`);
  await queue.add(name, parsed.data, { ...options, jobId });
}
