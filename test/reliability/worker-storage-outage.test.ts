import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPreprocessEnv, startPreprocessWorker, type RunningPreprocessWorker } from "@leukoflow/preprocess-worker";
import { createTestLab, useIngestServer, type IngestHarness } from "../../apps/ingest/test/ingest-harness.js";
import { ariaImages } from "../support/datasets.js";
import { S3FaultProxy } from "../support/s3-fault-proxy.js";
import { publishTestModel } from "../support/test-model.js";
import { waitFor } from "../support/wait-for.js";

/** Ingest (straight to S3) and a preprocess worker whose object storage goes through an S3FaultProxy. */
function usePreprocessBehindFaultyS3(workerEnv: Record<string, string> = {}) {
  const harness = useIngestServer(workerEnv);
  const { services } = harness;
  const s3 = new S3FaultProxy(services.env.S3_ENDPOINT!);
  const running = {} as { worker: RunningPreprocessWorker };
  beforeAll(async () => {
    await publishTestModel(services.prisma);
    const env = { ...services.env, ...workerEnv, S3_ENDPOINT: await s3.start() };
    running.worker = await startPreprocessWorker(loadPreprocessEnv(env));
  });
  afterAll(async () => {
    await running.worker?.close();
    await s3.close();
  });
  return { harness, s3 };
}

/** A specimen in a lab of its own, and a function that uploads files into it. */
async function newSpecimen(harness: IngestHarness, accession: string) {
  const lab = await createTestLab(harness.services.prisma, `${accession.toLowerCase()}-lab`);
  const specimen = await harness.createSpecimen(lab.key, accession);
  const upload = async (files: string[]) => {
    const parts = files.map((file) => ({ name: path.basename(file), bytes: readFileSync(file) }));
    expect((await harness.upload(lab.key, specimen.id, parts)).status).toBe(201);
  };
  return { specimenId: specimen.id, upload };
}

/** Object storage answering 503 SlowDown under a busy preprocess worker: jobs back off and retry, and all finish once it heals. */
describe("preprocess worker while S3 answers 503 SlowDown", () => {
  const { harness, s3 } = usePreprocessBehindFaultyS3();
  const images = ariaImages("pro_b", 12, 120);

  it("preprocesses every image once S3 is healthy again, none failed, some only after retries", async () => {
    const { specimenId, upload } = await newSpecimen(harness, "S3-OUTAGE-1");
    // A few images first, so the worker is busy when S3 fails; the rest while it fails (ingest reaches
    // S3 directly), so there is always work left to fail and retry.
    await upload(images.slice(0, 3));
    const { prisma } = harness.services;
    const preprocessed = () => prisma.image.count({ where: { specimenId, status: "PREPROCESSED" } });
    await waitFor("the first preprocessed image", async () => ((await preprocessed()) >= 1 ? true : null));
    s3.fail();
    await upload(images.slice(3));
    await waitFor("a job to fail twice and wait for its retry", async () => {
      const retrying = await harness.preprocessQueue.getJobs(["delayed", "waiting", "active"]);
      return retrying.some((job) => job.attemptsMade >= 2) ? true : null;
    });
    s3.heal();

    // The dataset holds a few byte-identical files, which a lab stores once: count the Image rows.
    const total = await prisma.image.count({ where: { specimenId } });
    await waitFor(
      "every image to be preprocessed",
      async () => ((await preprocessed()) === total ? true : null),
      120_000,
    );
    expect(await prisma.image.count({ where: { specimenId, status: "FAILED" } })).toBe(0);
    expect(s3.refused).toBeGreaterThan(0);
    // The worker commits an image's row before BullMQ marks its job done: wait for the jobs too.
    const jobs = await waitFor("every preprocess job to complete", async () => {
      const completed = await harness.preprocessQueue.getJobs(["completed"]);
      return completed.length >= total ? completed : null;
    });
    expect(jobs).toHaveLength(total);
    expect(jobs.some((job) => job.attemptsMade > 2)).toBe(true);
  }, 180_000);
});

/** A dependency that stays broken past the retry budget: each image ends FAILED with the reason, and its specimen settles. */
describe("preprocess worker when S3 stays broken past the retry budget", () => {
  const { harness, s3 } = usePreprocessBehindFaultyS3({ JOB_ATTEMPTS: "3", JOB_BACKOFF_MS: "100" });
  const images = ariaImages("benign", 3, 120);

  it("marks every image failed with why, and fails the specimen", async () => {
    s3.fail();
    const { specimenId, upload } = await newSpecimen(harness, "S3-BROKEN-1");
    await upload(images);
    const { prisma } = harness.services;
    const specimen = await waitFor("the specimen to settle", async () => {
      const found = await prisma.specimen.findUniqueOrThrow({ where: { id: specimenId } });
      return found.completedAt ? found : null;
    });
    expect(specimen.status).toBe("FAILED");
    const failed = await prisma.image.findMany({
      where: { specimenId },
      select: { status: true, failureReason: true },
    });
    expect(failed.length).toBeGreaterThan(0);
    for (const image of failed) {
      expect(image.status).toBe("FAILED");
      expect(image.failureReason).toMatch(
        /^gave up after 3 attempts; the last failed with object storage answering HTTP 503 /,
      );
    }
    const jobs = await waitFor("every preprocess job to fail", async () => {
      const gaveUp = await harness.preprocessQueue.getJobs(["failed"]);
      return gaveUp.length >= failed.length ? gaveUp : null;
    });
    expect(jobs.map((job) => job.attemptsMade)).toEqual(failed.map(() => 3));
  }, 120_000);
});
