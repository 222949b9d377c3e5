import { createProcessor, createQueue, type JobHandlers, type Logger } from "@leukoflow/shared";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { JobName } from "@leukoflow/contracts";

export type SweepName = JobName<"sweeps">;

/** Renewed every half of it while a sweep runs, so a long sweep keeps its lock. */
const SWEEP_LOCK_MS = 10_000;
const SWEEP_STALLED_CHECK_MS = 5_000;
/** A restore Redis refused (out of memory, say) is tried again after this, doubling up to the cap. */
const RESTORE_RETRY_FIRST_MS = 1_000;
const RESTORE_RETRY_MAX_MS = 30_000;

export interface Sweep {
  everyMs: number;
  run(): Promise<unknown>;
}

export interface RunningSweeps {
  close(): Promise<void>;
}

/**
 * Runs the ingest process's sweeps as BullMQ job schedulers: each replica upserts the same
 * schedulers, BullMQ adds one job per interval for all of them, and whichever replica's worker
 * takes it runs the sweep. A failed run is logged and not retried; the next interval runs again.
 * BullMQ schedules a scheduler's next run when a worker takes the current one, so a replica killed
 * in between holds the schedule until its job's lock lapses: short locks let another replica (or
 * the restarted one) take the stalled run within SWEEP_LOCK_MS + SWEEP_STALLED_CHECK_MS.
 */
export async function startSweeps(
  deps: { connection: Redis; prefix: string; logger: Logger },
  sweeps: { [N in SweepName]: Sweep },
): Promise<RunningSweeps> {
  const queue = createQueue("sweeps", deps.connection, deps.prefix);
  const entries = Object.entries(sweeps) as [SweepName, Sweep][];
  const upsertSchedulers = async () => {
    for (const [name, sweep] of entries) {
      await queue.upsertJobScheduler(
        name,
        { every: sweep.everyMs },
        { name, data: { v: 1 }, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
      );
    }
  };
  await upsertSchedulers();
  // A Redis restarted without its data has no schedulers left (and the reconciler is among them):
  // upsert them again on every reconnection, and until Redis takes them; upserting is idempotent.
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const restoreSchedulers = (retryInMs = RESTORE_RETRY_FIRST_MS) => {
    clearTimeout(retry);
    upsertSchedulers().catch((err: unknown) => {
      if (closed) return;
      deps.logger.error({ err, retryInMs }, "could not restore the sweep schedulers");
      retry = setTimeout(() => restoreSchedulers(Math.min(retryInMs * 2, RESTORE_RETRY_MAX_MS)), retryInMs).unref();
    });
  };
  const onReady = () => restoreSchedulers();
  deps.connection.on("ready", onReady);
  const handlers = {} as JobHandlers<"sweeps">;
  for (const [name, sweep] of entries) handlers[name] = () => sweep.run();
  const processor = createProcessor("sweeps", handlers);
  const worker = new Worker("sweeps", processor, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: entries.length,
    lockDuration: SWEEP_LOCK_MS,
    stalledInterval: SWEEP_STALLED_CHECK_MS,
  });
  worker.on("failed", (job, err) => deps.logger.error({ err, task: job?.name }, "sweep failed"));
  // Connection errors are logged once per outage by logConnectionOutages; BullMQ re-emits each retry's.
  worker.on("error", (err) => {
    if (deps.connection.status === "ready") deps.logger.error({ err }, "sweep worker error");
  });
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      deps.connection.off("ready", onReady);
      await worker.close();
      await queue.close();
    },
  };
}
