import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPreprocessEnv, startPreprocessWorker, type RunningPreprocessWorker } from "@leukoflow/preprocess-worker";
import { createTestLab, useIngestServer, type TestLab } from "../../apps/ingest/test/ingest-harness.js";
import { badInputCorpus, type BadInput } from "../support/bad-input-corpus.js";
import { publishTestModel } from "../support/test-model.js";
import { waitFor } from "../support/wait-for.js";

const MAX_UPLOAD_BYTES = 400_000;

/**
 * Every hostile or broken file either gets a problem+json 4xx from ingest and leaves nothing behind,
 * or is taken in and then fails preprocessing once, for good, with its reason on the Image.
 */
describe("bad input corpus", () => {
  const harness = useIngestServer({ MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), MAX_IMAGE_PIXELS: "20000000" });
  const { services } = harness;
  let worker: RunningPreprocessWorker;
  let lab: TestLab;
  let corpus: BadInput[];

  beforeAll(async () => {
    await publishTestModel(services.prisma);
    worker = await startPreprocessWorker(loadPreprocessEnv({ ...services.env, PREPROCESS_CONCURRENCY: "1" }));
    lab = await createTestLab(services.prisma, "lab-corpus");
    corpus = await badInputCorpus(MAX_UPLOAD_BYTES);
  });

  afterAll(async () => {
    await worker?.close();
  });

  it("answers each refused file with its 4xx problem and stores neither a row nor an object", async () => {
    for (const input of corpus.filter((entry) => entry.expected.kind === "refused")) {
      const specimen = await harness.createSpecimen(lab.key, `REFUSED-${input.label}`);
      const response = await harness.upload(lab.key, specimen.id, [{ name: input.fileName, bytes: input.bytes }]);
      const problem = (await response.json()) as { type: string; status: number };
      expect({ label: input.label, status: response.status, type: problem.type.split("/").at(-1) }).toEqual({
        label: input.label,
        ...input.expected,
        kind: undefined,
      });
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(await services.prisma.image.count({ where: { specimenId: specimen.id } })).toBe(0);
    }
    expect(await services.objectStore.list(`labs/${lab.lab.id}/`)).toEqual([]);
  });

  it("fails each undecodable upload once, unrecoverably, with its reason on the Image", async () => {
    for (const input of corpus.filter((entry) => entry.expected.kind === "fails-preprocessing")) {
      const specimen = await harness.createSpecimen(lab.key, `FAILS-${input.label}`);
      const response = await harness.upload(lab.key, specimen.id, [{ name: input.fileName, bytes: input.bytes }]);
      expect({ label: input.label, status: response.status }).toEqual({ label: input.label, status: 201 });
      const [accepted] = ((await response.json()) as { accepted: { imageId: string }[] }).accepted;
      const image = await waitFor(`${input.label} to settle`, async () => {
        const row = await services.prisma.image.findUniqueOrThrow({ where: { id: accepted!.imageId } });
        return row.status === "RECEIVED" ? null : row;
      });
      expect({ label: input.label, status: image.status }).toEqual({ label: input.label, status: "FAILED" });
      expect(image.failureReason).toMatch(/decode|pixel|image/i);
      const jobId = `preprocess-${image.id}`;
      await waitFor(`${jobId} to fail`, async () =>
        (await harness.preprocessQueue.getJobState(jobId)) === "failed" ? true : null,
      );
      expect((await harness.preprocessQueue.getJob(jobId))?.attemptsMade).toBe(1);
      expect(image.preprocessedKey).toBeNull();
      // Its only image failed, so the specimen is settled as FAILED rather than waiting for ever.
      expect((await services.prisma.specimen.findUniqueOrThrow({ where: { id: specimen.id } })).status).toBe("FAILED");
    }
  });

  it("takes in the images that are odd but whole, keyed by id so no file name reaches a storage key", async () => {
    for (const input of corpus.filter((entry) => entry.expected.kind === "accepted")) {
      const specimen = await harness.createSpecimen(lab.key, `ODD-${input.label}`);
      const response = await harness.upload(lab.key, specimen.id, [{ name: input.fileName, bytes: input.bytes }]);
      expect({ label: input.label, status: response.status }).toEqual({ label: input.label, status: 201 });
      const [accepted] = ((await response.json()) as { accepted: { imageId: string; fileName: string }[] }).accepted;
      const image = await waitFor(`${input.label} to be preprocessed`, async () => {
        const row = await services.prisma.image.findUniqueOrThrow({ where: { id: accepted!.imageId } });
        return row.status === "RECEIVED" ? null : row;
      });
      expect({ label: input.label, status: image.status }).toEqual({ label: input.label, status: "PREPROCESSED" });
      expect(image.objectKey).toBe(`labs/${lab.lab.id}/images/${image.id}`);
      expect(image.originalName).not.toMatch(/[\u0000-\u001f/\\]/);
      if (input.expected.kind === "accepted") expect(image.originalName).toBe(input.expected.storedName);

      const original = await harness.call(lab.key, "GET", `/v1/images/${image.id}/original`);
      expect(original.headers.get("x-content-type-options")).toBe("nosniff");
      expect(original.headers.get("content-type")).toMatch(/^image\//);
      expect(Buffer.from(await original.arrayBuffer()).equals(input.bytes)).toBe(true);
    }
  });

  it("keeps no object that no Image row refers to", async () => {
    const rows = await services.prisma.image.findMany({ where: { labId: lab.lab.id } });
    const referenced = new Set(rows.map((row) => row.objectKey));
    const originals = await services.objectStore.list(`labs/${lab.lab.id}/images/`);
    expect(originals.filter((key) => !referenced.has(key))).toEqual([]);
    expect(originals).toHaveLength(rows.length);
  });
});
