import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, createRedisConnection, enqueue, ImageStatus, type LeukoflowQueue } from "@leukoflow/shared";
import type { Redis } from "ioredis";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab } from "../../../test/support/labs.js";
import { publishTestModel } from "../../../test/support/test-model.js";
import { loadPreprocessEnv } from "./env.js";
import { startPreprocessWorker } from "./start.js";

const MAIN = path.resolve(import.meta.dirname, "..", "dist", "main.js");
const IMAGE_COUNT = 10;

/**
 * SIGTERM to a real preprocess-worker process in the middle of a batch of real smears: nothing is
 * lost (every job is completed or back in its queue, none failed) and nothing is duplicated (one
 * classify job per image, each preprocess job completed once) once a second worker drains the rest.
 */
describe("preprocess worker shutdown", () => {
  const services = useIsolatedServices();
  let redis: Redis;
  let preprocessQueue: LeukoflowQueue<"preprocess">;
  let inferenceQueue: LeukoflowQueue<"inference">;
  const imageIds: string[] = [];

  beforeAll(async () => {
    await publishTestModel(services.prisma);
    const { lab } = await createTestLab(services.prisma, "shutdown-lab");
    const specimen = await services.prisma.specimen.create({
      data: { labId: lab.id, accession: "SIG-1", status: "PROCESSING" },
    });
    redis = createRedisConnection(services.env.REDIS_URL!);
    preprocessQueue = createQueue("preprocess", redis, services.env.QUEUE_PREFIX!);
    inferenceQueue = createQueue("inference", redis, services.env.QUEUE_PREFIX!);
    const files = [...ariaImages("pro_b", IMAGE_COUNT / 2), ...ariaImages("benign", IMAGE_COUNT / 2)];
    for (const [i, file] of files.entries()) {
      const imageId = randomUUID();
      const objectKey = `labs/${lab.id}/images/${imageId}`;
      const bytes = readFileSync(file);
      await services.objectStore.put(objectKey, bytes, "image/jpeg");
      await services.prisma.image.create({
        data: {
          id: imageId,
          labId: lab.id,
          specimenId: specimen.id,
          sha256: i.toString(16).padStart(64, "0"),
          objectKey,
          byteSize: bytes.length,
        },
      });
      imageIds.push(imageId);
    }
  });

  afterAll(async () => {
    await preprocessQueue?.close();
    await inferenceQueue?.close();
    redis?.disconnect();
  });

  it("hands back or finishes in-flight jobs on SIGTERM, and exits 0", async () => {
    for (const imageId of imageIds)
      await enqueue(preprocessQueue, "preprocess-image", { v: 1, imageId }, `preprocess-${imageId}`);
    // A deadline of 0 hands back whatever is still running when the signal arrives.
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...services.env, PREPROCESS_CONCURRENCY: "2", SHUTDOWN_DEADLINE_MS: "0" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // "close", not "exit": stderr may still have data in flight when the process exits.
    const exited = once(child, "close");

    await expect.poll(() => preprocessQueue.getActiveCount(), { timeout: 30_000, interval: 20 }).toBeGreaterThan(0);
    child.kill("SIGTERM");
    const [code] = await exited;
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("SIGTERM received, shutting down");

    const afterSignal = await preprocessQueue.getJobCounts(
      "active",
      "waiting",
      "prioritized",
      "delayed",
      "completed",
      "failed",
    );
    expect(afterSignal.completed).toBeLessThan(IMAGE_COUNT);
    expect(afterSignal).toMatchObject({ active: 0, failed: 0, delayed: 0, prioritized: 0 });
    expect(afterSignal.completed! + afterSignal.waiting!).toBe(IMAGE_COUNT);

    const worker = await startPreprocessWorker(loadPreprocessEnv(services.env));
    try {
      await expect
        .poll(() => preprocessQueue.getCompletedCount(), { timeout: 45_000, interval: 100 })
        .toBe(IMAGE_COUNT);
    } finally {
      await worker.close();
    }
    expect(await preprocessQueue.getFailedCount()).toBe(0);
    const jobs = await preprocessQueue.getJobs(["completed"]);
    expect(jobs.map((job) => job.attemptsMade)).toEqual(Array(IMAGE_COUNT).fill(1));
    // Those in flight at the signal were handed back and started once more by the second worker.
    const handedBack = jobs.filter((job) => job.attemptsStarted === 2);
    expect(handedBack.length).toBeGreaterThan(0);
    expect(handedBack.length + jobs.filter((job) => job.attemptsStarted === 1).length).toBe(IMAGE_COUNT);
    expect(await services.prisma.image.count({ where: { status: ImageStatus.PREPROCESSED } })).toBe(IMAGE_COUNT);
    const classifyJobs = await inferenceQueue.getJobs([
      "waiting",
      "prioritized",
      "delayed",
      "active",
      "completed",
      "failed",
    ]);
    expect(classifyJobs.map((job) => job.id).sort()).toEqual(imageIds.map((id) => `classify-${id}`).sort());
  });
});
