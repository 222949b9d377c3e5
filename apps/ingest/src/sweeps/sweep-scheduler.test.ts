import { afterAll, describe, expect, it } from "vitest";
import { createLogger, createQueue, createRedisConnection } from "@leukoflow/shared";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { waitFor } from "../../../../test/support/wait-for.js";
import { startSweeps, type RunningSweeps, type SweepName } from "./sweep-scheduler.js";
import { JOB_CONTRACTS } from "@leukoflow/contracts";

const HOUR_MS = 3_600_000;

describe("the ingest sweeps, as BullMQ job schedulers", () => {
  const services = useIsolatedServices();
  const redis = createRedisConnection(services.env.REDIS_URL!);
  const replicas: RunningSweeps[] = [];

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    redis.disconnect();
  });

  it("runs each sweep once per interval, however many replicas schedule it", async () => {
    const runs: Record<SweepName, string[]> = {
      "reconcile-stranded-images": [],
      "dispatch-completions": [],
      housekeeping: [],
      "sweep-unowned-uploads": [],
    };
    const replica = (id: string) =>
      startSweeps(
        { connection: redis, prefix: services.env.QUEUE_PREFIX!, logger: createLogger("sweeps-test", "silent") },
        {
          // One sweep every 100 ms; the others once an hour, so the test sees their first run and no second.
          "dispatch-completions": { everyMs: 100, run: async () => runs["dispatch-completions"].push(id) },
          "reconcile-stranded-images": {
            everyMs: HOUR_MS,
            run: async () => runs["reconcile-stranded-images"].push(id),
          },
          housekeeping: { everyMs: HOUR_MS, run: async () => runs.housekeeping.push(id) },
          "sweep-unowned-uploads": { everyMs: HOUR_MS, run: async () => runs["sweep-unowned-uploads"].push(id) },
        },
      );
    replicas.push(await replica("a"), await replica("b"));

    const queue = createQueue("sweeps", redis, services.env.QUEUE_PREFIX!);
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((scheduler) => scheduler.key).sort()).toEqual(Object.keys(JOB_CONTRACTS.sweeps).sort());
    } finally {
      await queue.close();
    }
    await waitFor(
      "the hourly sweeps' first runs",
      async () =>
        runs.housekeeping.length > 0 &&
        runs["sweep-unowned-uploads"].length > 0 &&
        runs["reconcile-stranded-images"].length > 0
          ? true
          : null,
      30_000,
      50,
    );
    const dispatched = runs["dispatch-completions"].length;
    await waitFor(
      "ten more completion dispatches",
      async () => (runs["dispatch-completions"].length >= dispatched + 10 ? true : null),
      30_000,
      50,
    );
    expect(runs.housekeeping).toHaveLength(1);
    expect(runs["sweep-unowned-uploads"]).toHaveLength(1);
    expect(runs["reconcile-stranded-images"]).toHaveLength(1);
  });
});
