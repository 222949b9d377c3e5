import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BACKGROUND_PRIORITY,
  createQueue,
  createRedisConnection,
  decodeModelInputPixels,
  enqueue,
  reviewImagesJobId,
  type LeukoflowQueue,
  type ReviewImagesManifest,
} from "@leukoflow/shared";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab } from "../../../test/support/labs.js";
import { publishTestModel } from "../../../test/support/test-model.js";
import { encodeBmp } from "../../../packages/imaging/src/test-support/encode-bmp.js";
import sharp from "sharp";
import { loadPreprocessEnv } from "./env.js";
import { startPreprocessWorker, type RunningPreprocessWorker } from "./start.js";

describe("preprocess worker", () => {
  const services = useIsolatedServices();
  let worker: RunningPreprocessWorker;
  let redis: Redis;
  let preprocessQueue: LeukoflowQueue<"preprocess">;
  let inferenceQueue: LeukoflowQueue<"inference">;
  let reviewImagesQueue: LeukoflowQueue<"review-images">;
  let specimenId: string;
  let labId: string;

  beforeAll(async () => {
    await publishTestModel(services.prisma);
    const { lab } = await createTestLab(services.prisma, "pre-lab");
    labId = lab.id;
    specimenId = (await services.prisma.specimen.create({ data: { labId, accession: "P-1", status: "PROCESSING" } }))
      .id;
    redis = createRedisConnection(services.env.REDIS_URL!);
    preprocessQueue = createQueue("preprocess", redis, services.env.QUEUE_PREFIX!);
    inferenceQueue = createQueue("inference", redis, services.env.QUEUE_PREFIX!);
    reviewImagesQueue = createQueue("review-images", redis, services.env.QUEUE_PREFIX!);
    worker = await startPreprocessWorker(loadPreprocessEnv(services.env));
  });

  afterAll(async () => {
    await worker?.close();
    await preprocessQueue?.close();
    await inferenceQueue?.close();
    await reviewImagesQueue?.close();
    redis?.disconnect();
  });

  async function submit(bytes: Uint8Array, sha256: string): Promise<string> {
    const imageId = randomUUID();
    const objectKey = `labs/${labId}/images/${imageId}`;
    await services.objectStore.put(objectKey, Buffer.from(bytes), "application/octet-stream");
    await services.prisma.image.create({
      data: { id: imageId, labId, specimenId, sha256, objectKey, byteSize: bytes.length },
    });
    await enqueue(preprocessQueue, "preprocess-image", { v: 1, imageId }, `preprocess-${imageId}`);
    await waitForJobToSettle(preprocessQueue, `preprocess-${imageId}`);
    return imageId;
  }

  it("stores the model input as raw pixels under a key derived from the bytes, one object and no review images, and queues classification", async () => {
    const sha256 = "a".repeat(64);
    const imageId = await submit(readFileSync(ariaImages("benign", 1)[0]!), sha256);
    const image = await services.prisma.image.findUniqueOrThrow({ where: { id: imageId } });
    expect(image).toMatchObject({
      status: "PREPROCESSED",
      width: 224,
      height: 224,
      format: "jpeg",
      inputSize: 64,
      stainNormalization: "none",
      segmentation: null,
    });
    expect(image.preprocessedKey).toBe(`labs/${labId}/preprocessed/v2-64/${sha256}.px`);
    expect(decodeModelInputPixels(await services.objectStore.get(image.preprocessedKey!))).toMatchObject({
      width: 64,
      height: 64,
      channels: 3,
    });
    expect(await services.objectStore.list(`labs/${labId}/preprocessed/v2-64/${sha256}`)).toEqual([
      image.preprocessedKey,
    ]);
    expect(await inferenceQueue.getJob(`classify-${imageId}`)).toBeTruthy();
  });

  it("makes the mask, overlay and cell crops when asked for, under the image's recipe, and records them", async () => {
    const sha256 = "9".repeat(64);
    const imageId = await submit(readFileSync(ariaImages("benign", 1, 2)[0]!), sha256);
    await enqueue(reviewImagesQueue, "render-review-images", { v: 1, imageId }, reviewImagesJobId(imageId));
    await waitForJobToSettle(reviewImagesQueue, reviewImagesJobId(imageId));
    const image = await services.prisma.image.findUniqueOrThrow({ where: { id: imageId } });
    const segmentation = image.segmentation as unknown as ReviewImagesManifest;
    expect(segmentation.cells.length).toBeGreaterThan(1);
    for (const key of [
      segmentation.maskKey,
      segmentation.overlayKey,
      ...segmentation.cells.map((cell) => cell.cropKey),
    ]) {
      expect(key.startsWith(`labs/${labId}/preprocessed/v2-64/${sha256}/`)).toBe(true);
      expect((await services.objectStore.head(key))?.contentType).toBe("image/png");
    }
    const crop = await services.objectStore.get(segmentation.cells[0]!.cropKey);
    expect((await sharp(crop).metadata()).width).toBe(Math.min(segmentation.cells[0]!.cropBox.width, 64));
  });

  it("queues the review images behind all else for a lab that made them eager", async () => {
    await services.prisma.lab.update({ where: { id: labId }, data: { eagerReviewImages: true } });
    try {
      const imageId = await submit(readFileSync(ariaImages("pro_b", 1, 5)[0]!), "8".repeat(64));
      expect((await reviewImagesQueue.getJob(reviewImagesJobId(imageId)))?.opts.priority).toBe(BACKGROUND_PRIORITY);
      await waitForJobToSettle(reviewImagesQueue, reviewImagesJobId(imageId));
      const image = await services.prisma.image.findUniqueOrThrow({ where: { id: imageId } });
      expect((image.segmentation as unknown as ReviewImagesManifest).overlayKey).toMatch(/overlay\.png$/);
    } finally {
      await services.prisma.lab.update({ where: { id: labId }, data: { eagerReviewImages: false } });
    }
  });

  it("does not redo stored work when the job runs again", async () => {
    const imageId = await submit(readFileSync(ariaImages("pre_b", 1, 3)[0]!), "c".repeat(64));
    const first = await services.prisma.image.findUniqueOrThrow({ where: { id: imageId } });
    await services.objectStore.delete(first.preprocessedKey!);
    await enqueue(preprocessQueue, "preprocess-image", { v: 1, imageId }, `preprocess-again-${imageId}`);
    await waitForJobToSettle(preprocessQueue, `preprocess-again-${imageId}`);
    expect(await preprocessQueue.getJobState(`preprocess-again-${imageId}`)).toBe("completed");
    // Recomputing would have written the model input again.
    expect(await services.objectStore.head(first.preprocessedKey!)).toBeNull();
    expect(await services.prisma.image.findUniqueOrThrow({ where: { id: imageId } })).toEqual(first);
  });

  it("preprocesses a BMP upload made from a real smear", async () => {
    const { data, info } = await sharp(readFileSync(ariaImages("early_pre_b", 1, 8)[0]!))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const bmp = encodeBmp(data, info.width, info.height, { bitsPerPixel: 24, topDown: false, headerSize: 40 });
    const imageId = await submit(bmp, "d".repeat(64));
    const image = await services.prisma.image.findUniqueOrThrow({ where: { id: imageId } });
    expect(image).toMatchObject({ status: "PREPROCESSED", width: 224, height: 224, format: "bmp" });
  });

  it("fails a truncated image once, with its reason on the Image, and does not retry it", async () => {
    const bytes = readFileSync(ariaImages("pro_b", 1)[0]!);
    const imageId = await submit(bytes.subarray(0, 700), "b".repeat(64));
    const image = await services.prisma.image.findUniqueOrThrow({ where: { id: imageId } });
    expect(image.status).toBe("FAILED");
    expect(image.failureReason).toMatch(/Cannot decode image/);
    const job = await preprocessQueue.getJob(`preprocess-${imageId}`);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe("failed");
  });

  it("normalizes colours as the active model was trained: Reinhard for a model that declares it, under its own keys", async () => {
    const reinhardModel = await publishTestModel(services.prisma, {
      name: "test-model-reinhard",
      stainNormalization: "reinhard",
      artifactSha256: "1".repeat(64),
      active: false,
    });
    const activate = (id: string) =>
      services.prisma.$transaction([
        services.prisma.modelVersion.updateMany({ data: { active: false } }),
        services.prisma.modelVersion.update({ where: { id }, data: { active: true } }),
      ]);
    const previous = await services.prisma.modelVersion.findFirstOrThrow({ where: { active: true } });
    await activate(reinhardModel.id);
    try {
      const original = readFileSync(ariaImages("early_pre_b", 1, 40)[0]!);
      const shifted = await sharp(original).modulate({ hue: 40, saturation: 0.6, brightness: 0.9 }).png().toBuffer();
      const stored = async (bytes: Uint8Array, sha256: string) => {
        const image = await services.prisma.image.findUniqueOrThrow({ where: { id: await submit(bytes, sha256) } });
        expect(image.preprocessedKey).toBe(`labs/${labId}/preprocessed/v2-64-reinhard/${sha256}.px`);
        expect(image.stainNormalization).toBe("reinhard");
        return Buffer.from(decodeModelInputPixels(await services.objectStore.get(image.preprocessedKey!)).data);
      };
      const [fromOriginal, fromShifted] = [
        await stored(original, "e".repeat(64)),
        await stored(shifted, "f".repeat(64)),
      ];
      const raw = async (bytes: Uint8Array) => sharp(bytes).resize(64, 64).raw().toBuffer();
      const meanAbsoluteDifference = (a: Buffer, b: Buffer) =>
        a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
      // Normalized, the hue-shifted smear comes out close to the original; as uploaded, the two are far apart.
      expect(meanAbsoluteDifference(fromShifted, fromOriginal)).toBeLessThan(
        meanAbsoluteDifference(await raw(shifted), await raw(original)) / 2,
      );
    } finally {
      await activate(previous.id);
    }
  });
});

async function waitForJobToSettle(queue: Queue, jobId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const state = await queue.getJobState(jobId);
    if (state === "completed" || state === "failed") return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`job ${jobId} did not settle within 30s`);
}
