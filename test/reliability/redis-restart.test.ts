import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, createRedisConnection } from "@leukoflow/shared";
import { ariaImages } from "../support/datasets.js";
import { useIsolatedServices } from "../support/isolated-services.js";
import { createTestLab } from "../support/labs.js";
import { expectClassifiedExactlyOnce, Pipeline } from "../support/pipeline.js";
import { expectRetryLater } from "../support/problems.js";
import { RedisServer } from "../support/redis-server.js";
import { waitFor } from "../support/wait-for.js";

const PER_SPECIMEN = 6;
const specimenImages = (offset: number) =>
  ["benign", "early_pre_b", "pre_b", "pro_b"].flatMap((label) => ariaImages(label, PER_SPECIMEN, offset));
const FIRST = specimenImages(400);
const SECOND = specimenImages(400 + PER_SPECIMEN);
const WHILE_DOWN = ariaImages("benign", 1, 390)[0]!;

/**
 * Redis dies under a running pipeline (all three apps as processes, on a redis-server of the
 * test's own). Restarted from its append-only file it loses nothing; restarted empty, the images'
 * rows in Postgres say what is left and ingest's reconciler enqueues it again. Either way every
 * image is classified exactly once.
 */
describe("Redis restarted mid-run", () => {
  const services = useIsolatedServices();
  const redis = new RedisServer();
  let pipeline: Pipeline;
  let key: string;

  beforeAll(async () => {
    await redis.start();
    pipeline = await Pipeline.start(services, {
      REDIS_URL: redis.url,
      RECONCILE_INTERVAL_MS: "1000",
      RECONCILE_MIN_AGE_MS: "2000",
    });
    ({ key } = await createTestLab(services.prisma, "redis-restart-lab"));
  });

  afterAll(async () => {
    await pipeline?.stop();
    await redis.close();
  });

  /** Waits until the specimen's first image is preprocessed, so jobs are queued, running and done. */
  async function uploadAndWaitForWork(accession: string, files: string[]): Promise<string> {
    const specimenId = await pipeline.uploadSpecimen(key, accession, files);
    const preprocessed = () => services.prisma.image.count({ where: { specimenId, status: { not: "RECEIVED" } } });
    await waitFor("the first preprocessed image", async () => ((await preprocessed()) >= 1 ? true : null));
    return specimenId;
  }

  const unsettled = (specimenId: string) =>
    services.prisma.image.count({ where: { specimenId, status: { in: ["RECEIVED", "PREPROCESSED"] } } });

  it("killed with SIGKILL and restarted from its append-only file: nothing lost, uploads answered 503 meanwhile", async () => {
    const specimenId = await uploadAndWaitForWork("REDIS-AOF-1", FIRST);
    await redis.writeAppendOnlyFileNow();
    const crashedAt = Date.now();
    await redis.crash();
    expect(await unsettled(specimenId)).toBeGreaterThan(0);

    const form = new FormData();
    form.append("images", new Blob([readFileSync(WHILE_DOWN)]), path.basename(WHILE_DOWN));
    const headers = { authorization: `Bearer ${key}` };
    await expectRetryLater(
      await fetch(`${pipeline.baseUrl}/v1/specimens/${specimenId}/images`, { method: "POST", headers, body: form }),
    );

    await redis.start();
    // Each image's preprocess job is the one enqueued before the crash, not one the reconciler made since.
    const connection = createRedisConnection(redis.url);
    const queue = createQueue("preprocess", connection, services.env.QUEUE_PREFIX!);
    const images = await services.prisma.image.findMany({ where: { specimenId }, select: { id: true } });
    const jobs = await Promise.all(images.map((image) => queue.getJob(`preprocess-${image.id}`)));
    expect(jobs.map((job) => (job?.timestamp ?? Infinity) < crashedAt)).toEqual(images.map(() => true));
    await queue.close();
    connection.disconnect();
    await expectClassifiedExactlyOnce(services, specimenId, FIRST.length);
  }, 180_000);

  it("restarted with its data lost: the reconciler enqueues what the database says is left", async () => {
    const specimenId = await uploadAndWaitForWork("REDIS-LOST-1", SECOND);
    await redis.crash();
    expect(await unsettled(specimenId)).toBeGreaterThan(0);
    redis.loseData();
    await redis.start();
    await expectClassifiedExactlyOnce(services, specimenId, SECOND.length);
  }, 180_000);
});
