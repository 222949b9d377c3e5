import { afterAll, describe, expect, it } from "vitest";
import { createLogger, createQueue, createRedisConnection } from "@leukoflow/shared";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { RedisServer } from "../../../../test/support/redis-server.js";
import { waitFor } from "../../../../test/support/wait-for.js";
import { startSweeps, type RunningSweeps, type SweepName } from "./sweep-scheduler.js";
import { JOB_CONTRACTS } from "@leukoflow/contracts";

const HOUR_MS = 3_600_000;

/** Sweeps that count their runs: `dispatch-completions` every 100 ms, the others hourly. */
function countedSweeps(runs: Record<SweepName, string[]>, id: string) {
  const counted = (name: SweepName, everyMs: number) => ({ everyMs, run: async () => runs[name].push(id) });
  return {
    "dispatch-completions": counted("dispatch-completions", 100),
    "reconcile-stranded-images": counted("reconcile-stranded-images", HOUR_MS),
    housekeeping: counted("housekeeping", HOUR_MS),
    "sweep-unowned-uploads": counted("sweep-unowned-uploads", HOUR_MS),
  };
}
const noRuns = (): Record<SweepName, string[]> => ({
  "reconcile-stranded-images": [],
  "dispatch-completions": [],
  housekeeping: [],
  "sweep-unowned-uploads": [],
});

describe("the ingest sweeps, as BullMQ job schedulers", () => {
  const services = useIsolatedServices();
  const redis = createRedisConnection(services.env.REDIS_URL!);
  const replicas: RunningSweeps[] = [];

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    redis.disconnect();
  });

  it("runs each sweep once per interval, however many replicas schedule it", async () => {
    const runs = noRuns();
    const replica = (id: string) =>
      startSweeps(
        { connection: redis, prefix: services.env.QUEUE_PREFIX!, logger: createLogger("sweeps-test", "silent") },
        countedSweeps(runs, id),
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

/**
 * Counted sweeps on a redis-server of the test's own, which the test may crash and restart:
 * `start` returns their runs once housekeeping has run the first time.
 */
function useSweepsOnOwnRedis() {
  const services = useIsolatedServices();
  const server = new RedisServer();
  const prefix = services.env.QUEUE_PREFIX!;
  let redis: ReturnType<typeof createRedisConnection> | undefined;
  let sweeps: RunningSweeps | undefined;

  afterAll(async () => {
    await sweeps?.close();
    redis?.disconnect();
    await server.close();
  });

  async function start(logger = createLogger("sweeps-test", "silent")) {
    await server.start();
    redis = createRedisConnection(server.url);
    const runs = noRuns();
    sweeps = await startSweeps({ connection: redis, prefix, logger }, countedSweeps(runs, "only"));
    await waitFor("the first housekeeping run", async () => (runs.housekeeping.length > 0 ? true : null), 30_000, 50);
    return { runs, redis };
  }
  return { server, prefix, start };
}

describe("the sweep schedulers after Redis restarts without its data", () => {
  const { server, prefix, start } = useSweepsOnOwnRedis();

  it("are upserted again once the connection is back, so every sweep runs again", async () => {
    const { runs, redis } = await start();
    // Counted before the crash: the client may reconnect, upsert and run again before start() returns.
    const runsBefore = runs.housekeeping.length;

    await server.crash();
    server.loseData();
    await server.start();
    // An hourly sweep runs at once when its scheduler is created: a second run means it was created again.
    await waitFor(
      "the hourly sweeps' runs after the restart",
      async () => (runs.housekeeping.length > runsBefore ? true : null),
      30_000,
      50,
    );
    const queue = createQueue("sweeps", redis, prefix);
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((scheduler) => scheduler.key).sort()).toEqual(Object.keys(JOB_CONTRACTS.sweeps).sort());
    } finally {
      await queue.close();
    }
    const dispatched = runs["dispatch-completions"].length;
    await waitFor(
      "completion dispatches after the restart",
      async () => (runs["dispatch-completions"].length >= dispatched + 5 ? true : null),
      30_000,
      50,
    );
  });
});

describe("the sweep schedulers when the restarted Redis refuses their restore", () => {
  const { server, start } = useSweepsOnOwnRedis();
  const logged: { msg: string }[] = [];

  it("tries the restore again until Redis takes it", async () => {
    const logger = createLogger("sweeps-test", "error", {
      write: (line: string) => void logged.push(JSON.parse(line)),
    });
    const { runs } = await start(logger);
    const runsBefore = runs.housekeeping.length;

    await server.crash();
    server.loseData();
    // Back empty, and out of memory for writes (noeviction), so the upsert on reconnection fails.
    await server.start(["--maxmemory", "1"]);
    await waitFor(
      "the refused restore",
      async () => (logged.some((line) => line.msg === "could not restore the sweep schedulers") ? true : null),
      30_000,
      50,
    );
    expect(runs.housekeeping).toHaveLength(runsBefore);
    const admin = createRedisConnection(server.url);
    try {
      await admin.config("SET", "maxmemory", "0");
    } finally {
      admin.disconnect();
    }
    await waitFor(
      "the hourly sweeps' runs after Redis takes writes again",
      async () => (runs.housekeeping.length > runsBefore ? true : null),
      30_000,
      50,
    );
  });
});
