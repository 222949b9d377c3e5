import { Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { createRedisConnection } from "./connection.js";
import { closeWorker, handBackWhenCancelled } from "./graceful-worker.js";
import { createQueue, type LeukoflowQueue } from "./producer.js";

const IMAGE_IDS = ["4b0f7f0e-7f7e-4f3b-9c55-0d8f5c1f7a10", "5c1f8f1f-8f8f-4c4c-8d66-1e9f6d2f8b21"];

describe("closeWorker", () => {
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

  /** A worker whose jobs run until the test releases them, so the shutdown's timing is the test's to choose. */
  async function startHeldWorker() {
    const releases = new Map<string, () => void>();
    let allStarted!: () => void;
    const started = new Promise<void>((resolve) => (allStarted = resolve));
    const processor = (job: Job) =>
      new Promise<void>((release) => {
        releases.set(job.id!, release);
        if (releases.size === IMAGE_IDS.length) allStarted();
      });
    const connection = createRedisConnection(services.env.REDIS_URL!);
    const worker = new Worker("preprocess", handBackWhenCancelled(processor), {
      connection,
      prefix: services.env.QUEUE_PREFIX!,
      concurrency: IMAGE_IDS.length,
    });
    for (const imageId of IMAGE_IDS) await queue.add("preprocess-image", { v: 1, imageId }, { jobId: imageId });
    await started;
    return { worker, connection, release: (jobId: string) => releases.get(jobId)!() };
  }

  it("lets a job that ends before the deadline complete and hands the other back to its queue", async () => {
    const { worker, connection, release } = await startHeldWorker();
    const deadline = new AbortController();
    const closing = closeWorker(worker, deadline.signal);
    release(IMAGE_IDS[0]!);
    await expect.poll(() => queue.getJobState(IMAGE_IDS[0]!)).toBe("completed");
    deadline.abort();
    await closing;
    connection.disconnect();

    expect(await queue.getJobCounts("active", "waiting", "completed", "failed", "delayed")).toEqual({
      active: 0,
      waiting: 1,
      completed: 1,
      failed: 0,
      delayed: 0,
    });
    const handedBack = await queue.getJob(IMAGE_IDS[1]!);
    // Back in the queue without spending an attempt: a retry budget is for failures, not for restarts.
    expect(handedBack).toMatchObject({ attemptsMade: 0, attemptsStarted: 1 });
    await queue.obliterate({ force: true });
  });
});
