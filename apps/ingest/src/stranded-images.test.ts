import { randomBytes, randomUUID } from "node:crypto";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLogger,
  createQueue,
  createRedisConnection,
  SpecimenChangePublisher,
  type LeukoflowQueue,
} from "@leukoflow/shared";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { createTestLab } from "../../../test/support/labs.js";
import { StrandedImageReconciler } from "./services/stranded-images.js";

const MIN_AGE_MS = 60_000;

/** Redis lost some jobs and saw another fail while Postgres was away: one sweep sets the database's images going again. */
describe("StrandedImageReconciler", () => {
  const services = useIsolatedServices();
  let redis: Redis;
  let preprocessQueue: LeukoflowQueue<"preprocess">;
  let inferenceQueue: LeukoflowQueue<"inference">;

  beforeAll(() => {
    redis = createRedisConnection(services.env.REDIS_URL!);
    preprocessQueue = createQueue("preprocess", redis, services.env.QUEUE_PREFIX!);
    inferenceQueue = createQueue("inference", redis, services.env.QUEUE_PREFIX!);
  });

  afterAll(async () => {
    await preprocessQueue?.close();
    await inferenceQueue?.close();
    redis?.disconnect();
  });

  const newReconciler = () =>
    new StrandedImageReconciler({
      db: services.db,
      preprocessQueue,
      inferenceQueue,
      changes: new SpecimenChangePublisher(redis, services.env.QUEUE_PREFIX!, createLogger("test", "silent")),
      logger: createLogger("test", "silent"),
      minAgeMs: MIN_AGE_MS,
    });

  async function createImages(statuses: ("RECEIVED" | "PREPROCESSED")[], round = 0) {
    const { lab } = await createTestLab(services.prisma, `stranded-lab-${randomBytes(3).toString("hex")}`);
    const specimen = await services.prisma.specimen.create({
      data: { labId: lab.id, accession: "STRANDED-1", status: "PROCESSING" },
    });
    const ids = statuses.map(() => randomUUID());
    await services.prisma.image.createMany({
      data: statuses.map((status, i) => ({
        id: ids[i]!,
        labId: lab.id,
        specimenId: specimen.id,
        status,
        sha256: randomBytes(32).toString("hex"),
        objectKey: `labs/${lab.id}/images/${ids[i]}`,
        byteSize: 1,
        round,
      })),
    });
    return { specimenId: specimen.id, ids };
  }

  /** Runs a job of the preprocess queue to failure, as a worker whose retries ran out while Postgres was down. */
  async function failPreprocessJob(imageId: string, reason: string): Promise<void> {
    await preprocessQueue.add("preprocess-image", { v: 1, imageId }, { jobId: `preprocess-${imageId}`, attempts: 1 });
    const connection = createRedisConnection(services.env.REDIS_URL!);
    const worker = new Worker(
      "preprocess",
      async () => {
        throw new Error(reason);
      },
      { connection, prefix: services.env.QUEUE_PREFIX! },
    );
    await expect.poll(() => preprocessQueue.getJobState(`preprocess-${imageId}`)).toBe("failed");
    await worker.close();
    connection.disconnect();
  }

  it("enqueues lost jobs again, marks images whose job failed, and leaves queued and young images alone", async () => {
    const { specimenId, ids } = await createImages(["RECEIVED", "PREPROCESSED", "RECEIVED", "RECEIVED"]);
    const [lost, lostClassify, queued, failedUnseen] = ids as [string, string, string, string];
    await failPreprocessJob(
      failedUnseen,
      "gave up after 8 attempts; the last failed with Error: Connection terminated",
    );
    await preprocessQueue.add("preprocess-image", { v: 1, imageId: queued }, { jobId: `preprocess-${queued}` });
    const reconciler = newReconciler();

    expect(await reconciler.sweep()).toEqual({ requeued: 0, failed: 0 });
    expect(await reconciler.sweep(new Date(Date.now() + MIN_AGE_MS + 1_000))).toEqual({ requeued: 2, failed: 1 });

    expect(await preprocessQueue.getJobState(`preprocess-${lost}`)).toBe("waiting");
    expect(await inferenceQueue.getJobState(`classify-${lostClassify}`)).toBe("waiting");
    expect(await preprocessQueue.getJobCounts("waiting")).toEqual({ waiting: 2 });
    const failed = await services.prisma.image.findUniqueOrThrow({ where: { id: failedUnseen } });
    expect(failed).toMatchObject({
      status: "FAILED",
      failureReason: "gave up after 8 attempts; the last failed with Error: Connection terminated",
    });
    // The others are still in flight, so the specimen waits for them.
    expect(await services.prisma.specimen.findUniqueOrThrow({ where: { id: specimenId } })).toMatchObject({
      status: "PROCESSING",
    });
  });

  it("looks for the job of the image's current round, so one a model switch sent back gets its new round's job", async () => {
    const { ids } = await createImages(["RECEIVED"], 1);
    const sentBack = ids[0]!;
    // Its first round's job is still in Redis; the second round's was lost.
    await preprocessQueue.add("preprocess-image", { v: 1, imageId: sentBack }, { jobId: `preprocess-${sentBack}` });
    const reconciler = newReconciler();
    expect(await reconciler.sweep(new Date(Date.now() + MIN_AGE_MS + 1_000))).toMatchObject({ requeued: 1 });
    expect(await preprocessQueue.getJobState(`preprocess-${sentBack}-r1`)).toBe("waiting");
  });
});
