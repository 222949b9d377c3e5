import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPreprocessEnv, startPreprocessWorker } from "@leukoflow/preprocess-worker";
import {
  createQueue,
  createRedisConnection,
  encodeModelInputPixels,
  type ReviewImagesManifest,
} from "@leukoflow/shared";
import { ariaImages } from "../../../test/support/datasets.js";
import { classifySpecimen, createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

describe("GET /v1/images/{id}/{variant}: an image's bytes from storage, lab-scoped", () => {
  const harness = useIngestServer();
  const { services, call } = harness;
  let lab: TestLab;
  let original: Buffer;
  let imageId: string;
  let specimenId: string;

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-content");
    const specimen = await harness.createSpecimen(lab.key, "IMG-1");
    specimenId = specimen.id;
    const [file] = ariaImages("benign", 1, 120);
    original = readFileSync(file!);
    const uploaded = (await (
      await harness.upload(lab.key, specimen.id, [{ name: path.basename(file!), bytes: original }])
    ).json()) as {
      accepted: { imageId: string }[];
    };
    imageId = uploaded.accepted[0]!.imageId;
  });

  it("streams the original upload with its content type", async () => {
    const response = await call(lab.key, "GET", `/v1/images/${imageId}/original`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/jpeg");
    expect(Buffer.from(await response.arrayBuffer()).equals(original)).toBe(true);
  });

  it("answers 404 for the pictures of an image not yet preprocessed or classified", async () => {
    for (const variant of ["preprocessed", "gradcam", "overlay", "mask", "cells", "cells/0"]) {
      const response = await call(lab.key, "GET", `/v1/images/${imageId}/${variant}`);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("serves the model input as a PNG, and makes the segmentation overlay, mask and cell crops on first request (202 until stored)", async () => {
    const pixels = await sharp(original).resize(64, 64, { fit: "cover" }).raw().toBuffer();
    const preprocessedKey = `labs/${lab.lab.id}/preprocessed/v2-64/${imageId}.px`;
    await services.objectStore.put(
      preprocessedKey,
      encodeModelInputPixels({ width: 64, height: 64, channels: 3, data: pixels }),
      "application/octet-stream",
    );
    await services.prisma.image.update({
      where: { id: imageId },
      data: { status: "PREPROCESSED", preprocessedKey, inputSize: 64, stainNormalization: "none" },
    });
    const preprocessed = await call(lab.key, "GET", `/v1/images/${imageId}/preprocessed`);
    expect(preprocessed.headers.get("content-type")).toBe("image/png");
    expect(
      (
        await sharp(Buffer.from(await preprocessed.arrayBuffer()))
          .raw()
          .toBuffer()
      ).equals(pixels),
    ).toBe(true);

    const first = await call(lab.key, "GET", `/v1/images/${imageId}/overlay`);
    expect(first.status).toBe(202);
    expect(first.headers.get("retry-after")).toBe("1");
    const redis = createRedisConnection(services.env.REDIS_URL!);
    const reviewImagesQueue = createQueue("review-images", redis, services.env.QUEUE_PREFIX!);
    expect(await reviewImagesQueue.getJobState(`review-images-${imageId}`)).toBe("waiting");
    await reviewImagesQueue.close();
    redis.disconnect();

    const worker = await startPreprocessWorker(loadPreprocessEnv(services.env));
    try {
      let cells = await call(lab.key, "GET", `/v1/images/${imageId}/cells`);
      for (let tries = 0; cells.status === 202 && tries < 100; tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        cells = await call(lab.key, "GET", `/v1/images/${imageId}/cells`);
      }
      const { cells: listed } = (await cells.json()) as { cells: { url: string; box: { width: number } }[] };
      expect(listed.length).toBeGreaterThan(0);
      const crop = await call(lab.key, "GET", listed[0]!.url);
      expect(crop.headers.get("content-type")).toBe("image/png");
      expect((await sharp(Buffer.from(await crop.arrayBuffer())).metadata()).width).toBeLessThanOrEqual(64);
      const image = await services.prisma.image.findUniqueOrThrow({ where: { id: imageId } });
      const manifest = image.segmentation as unknown as ReviewImagesManifest;
      for (const [variant, key] of [
        ["overlay", manifest.overlayKey],
        ["mask", manifest.maskKey],
      ] as const) {
        const response = await call(lab.key, "GET", `/v1/images/${imageId}/${variant}`);
        expect(response.status).toBe(200);
        expect(Buffer.from(await response.arrayBuffer()).equals(await services.objectStore.get(key))).toBe(true);
      }
      expect((await call(lab.key, "GET", `/v1/images/${imageId}/cells/${listed.length}`)).status).toBe(404);
    } finally {
      await worker.close();
    }
  });

  it("links every prediction's Grad-CAM from the report, asks an inference worker for it on first request and serves it once stored", async () => {
    await classifySpecimen(services, specimenId, "benign");
    let report = (await (await call(lab.key, "GET", `/v1/specimens/${specimenId}`)).json()) as {
      images: { prediction: { gradcamUrl: string | null } }[];
    };
    expect(report.images[0]!.prediction.gradcamUrl).toBe(`/v1/images/${imageId}/gradcam`);
    const pending = await call(lab.key, "GET", `/v1/images/${imageId}/gradcam`);
    expect(pending.status).toBe(202);
    const prediction = await services.prisma.prediction.findFirstOrThrow({ where: { imageId } });
    const redis = createRedisConnection(services.env.REDIS_URL!);
    const gradcamQueue = createQueue("gradcam", redis, services.env.QUEUE_PREFIX!);
    expect(await gradcamQueue.getJobState(`gradcam-${prediction.id}`)).toBe("waiting");
    await gradcamQueue.close();
    redis.disconnect();

    const overlay = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    await services.objectStore.put(`gradcam/${imageId}.png`, overlay, "image/png");
    await services.prisma.prediction.updateMany({ where: { imageId }, data: { gradcamKey: `gradcam/${imageId}.png` } });

    report = (await (await call(lab.key, "GET", `/v1/specimens/${specimenId}`)).json()) as typeof report;
    expect(report.images[0]!.prediction.gradcamUrl).toBe(`/v1/images/${imageId}/gradcam`);
    const response = await call(lab.key, "GET", report.images[0]!.prediction.gradcamUrl!);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await response.arrayBuffer()).equals(overlay)).toBe(true);
  });

  it("keeps other labs and callers without a key out", async () => {
    const other = await createTestLab(services.prisma, "lab-content-other");
    expect((await call(other.key, "GET", `/v1/images/${imageId}/original`)).status).toBe(404);
    expect((await fetch(`${harness.baseUrl}/v1/images/${imageId}/original`)).status).toBe(401);
  });

  it("serves the review workstation at /app/ and sends / there", async () => {
    const page = await fetch(`${harness.baseUrl}/app/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("LeukoFlow review workstation");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    const root = await fetch(`${harness.baseUrl}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(root.headers.get("location")).toBe("/app/");
  });
});
