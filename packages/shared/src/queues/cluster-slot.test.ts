import { Worker } from "bullmq";
import calculateSlot from "cluster-key-slot";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { CommonEnv } from "../env.js";
import { createRedisConnection } from "./connection.js";
import { QUEUE_NAMES } from "@leukoflow/contracts";
import { createQueue, type LeukoflowQueue } from "./producer.js";

const IMAGE_IDS = [
  "4b0f7f0e-7f7e-4f3b-9c55-0d8f5c1f7a10",
  "5c1f8f1f-8f8f-4c4c-8d66-1e9f6d2f8b21",
  "6d2a9a2a-9a9a-4d5d-9e77-2fa07e3a9c32",
  "7e3bab3b-abab-4e6e-af88-30b18f4bad43",
  "8f4cbc4c-bcbc-4f7f-b099-41c29a5cbe54",
];

/**
 * Redis Cluster refuses a Lua script (every BullMQ command is one) whose keys live in different
 * slots. The braces in QUEUE_PREFIX make it a hash tag: only the text inside them is hashed.
 */
describe("queue keys on Redis Cluster", () => {
  const services = useIsolatedServices();
  let redis: Redis;
  let queue: LeukoflowQueue<"preprocess">;

  beforeAll(async () => {
    redis = createRedisConnection(services.env.REDIS_URL!);
    queue = createQueue("preprocess", redis, services.env.QUEUE_PREFIX!);
  });

  afterAll(async () => {
    await queue?.close();
    redis?.disconnect();
  });

  it("the default prefix is a hash tag", () => {
    const { QUEUE_PREFIX } = CommonEnv.pick({ QUEUE_PREFIX: true }).parse({});
    expect(QUEUE_PREFIX).toBe("{leukoflow}");
    for (const name of QUEUE_NAMES)
      expect(calculateSlot(`${QUEUE_PREFIX}:${name}:wait`)).toBe(calculateSlot("leukoflow"));
  });

  it("puts every key a queue uses, in every job state, in one slot", async () => {
    const [done, broken, later, urgent, waiting] = IMAGE_IDS;
    await queue.add("preprocess-image", { v: 1, imageId: done }, { jobId: done });
    await queue.add("preprocess-image", { v: 1, imageId: broken }, { jobId: broken, attempts: 1 });
    const worker = new Worker(
      "preprocess",
      async (job) => {
        if (job.id === broken) throw new Error("broken");
      },
      { connection: createRedisConnection(services.env.REDIS_URL!), prefix: services.env.QUEUE_PREFIX! },
    );
    await expect.poll(() => queue.getJobCounts("completed", "failed")).toEqual({ completed: 1, failed: 1 });
    await worker.close();
    await queue.add("preprocess-image", { v: 1, imageId: later }, { jobId: later, delay: 3_600_000 });
    await queue.add("preprocess-image", { v: 1, imageId: urgent }, { jobId: urgent, priority: 1 });
    await queue.add("preprocess-image", { v: 1, imageId: waiting }, { jobId: waiting });

    const keys = await keysWithPrefix(redis, services.env.QUEUE_PREFIX!);
    const base = `${services.env.QUEUE_PREFIX}:preprocess`;
    // The keys KEDA's triggers read (infra/k8s) are among them.
    for (const suffix of ["wait", "delayed", "prioritized", "completed", "failed", "meta", "id", "events"])
      expect(keys).toContain(`${base}:${suffix}`);
    expect(keys).toContain(`${base}:${done}`);
    expect(new Set(keys.map((key) => calculateSlot(key)))).toEqual(
      new Set([calculateSlot(services.env.QUEUE_PREFIX!.slice(1, -1))]),
    );
  });
});

async function keysWithPrefix(redis: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix.replace(/[{}[\]*?]/g, "\\$&")}*`, "COUNT", 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== "0");
  return keys;
}
