import { UnrecoverableError, type Job, type Processor } from "bullmq";
import { JOB_CONTRACTS, payloadSchema, type JobName, type JobPayload, type QueueName } from "@leukoflow/contracts";

export type JobHandlers<Q extends QueueName> = {
  [N in JobName<Q>]: (payload: JobPayload<Q, N>, job: Job) => Promise<unknown>;
};

/**
 * Builds the BullMQ processor of a queue from one handler per job name. Fails at startup when a
 * job name of the contract has no handler or a handler names no job, so a job can never arrive
 * that nothing handles.
 */
export function createProcessor<Q extends QueueName>(queue: Q, handlers: JobHandlers<Q>): Processor {
  const expected = Object.keys(JOB_CONTRACTS[queue]).sort();
  const registered = Object.keys(handlers).sort();
  if (expected.join() !== registered.join()) {
    throw new Error(
      `Queue "${queue}" handlers [${registered.join(", ")}] do not match its job names [${expected.join(", ")}]`,
    );
  }
  return async (job: Job) => {
    const name = job.name as JobName<Q>;
    const handler = handlers[name];
    if (!handler) throw new UnrecoverableError(`No handler for job "${job.name}" on queue "${queue}"`);
    const parsed = payloadSchema(queue, name).safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`Invalid payload for ${queue}/${job.name}: ${parsed.error.message}`);
    return handler(parsed.data as JobPayload<Q, typeof name>, job);
  };
}
