import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
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
    const uploaded = (await (await harness.upload(lab.key, specimen.id, [{ name: path.basename(file!), bytes: original }])).json()) as {
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

  it("answers 404 for a preprocessed image or Grad-CAM overlay not made yet", async () => {
    for (const variant of ["preprocessed", "gradcam"]) {
      const response = await call(lab.key, "GET", `/v1/images/${imageId}/${variant}`);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toContain("application/problem+json");
    }
  });

  it("serves a prediction's Grad-CAM overlay and links it from the report", async () => {
    await classifySpecimen(services.prisma, specimenId, "benign");
    let report = (await (await call(lab.key, "GET", `/v1/specimens/${specimenId}`)).json()) as { images: { prediction: { gradcamUrl: string | null } }[] };
    expect(report.images[0]!.prediction.gradcamUrl).toBeNull();

    const overlay = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer();
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
