import { randomUUID } from "node:crypto";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decodeToModelInput,
  heldOutImagePaths,
  importOnnxModel,
  readModelMetadata,
  writeModelMetadata,
} from "@leukoflow/ml";
import {
  BACKGROUND_PRIORITY,
  createQueue,
  createRedisConnection,
  encodeModelInputPixels,
  enqueue,
  gradcamJobId,
  type LeukoflowQueue,
  modelsDir,
} from "@leukoflow/shared";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { ARIA_ORIGINAL_DIR, PBC_DIR } from "../../../test/support/datasets.js";
import { createTestLab } from "../../../test/support/labs.js";
import { loadInferenceEnv } from "./env.js";
import { publishModel } from "@leukoflow/model-registry";
import { startInferenceWorker, type RunningInferenceWorker } from "./start.js";
import {
  calledClass,
  malignantProbability,
  SUBTYPE_LABELS,
  type OperatingPoint,
  type SpecimenSummary,
  ALL_SUBTYPES,
} from "@leukoflow/contracts";
import { TEST_ACTIVATION } from "../../../test/support/pipeline.js";

const SHIPPED_MODEL = path.join(modelsDir(), "aria-cnn-v1");
/** The ensemble's operating point: a low image threshold, so the called class differs from the most probable one where P(malignant) is in [0.2, 0.5). */
const OPERATING_POINT = {
  malignantThreshold: 0.2,
  target: { metric: "sensitivity", value: 0.99 },
  tta: "flips",
  fittedOn: { split: "test", images: 0, sensitivity: 1, specificity: 1, malignant: 0, benign: 0 },
  specimen: {
    rule: "mean_malignant_probability",
    threshold: 0.9,
    targetSensitivity: 1,
    fittedOn: {
      split: "test",
      specimens: 0,
      imagesPerSpecimen: [6, 12],
      sensitivity: 1,
      specificity: 1,
      malignant: 0,
      benign: 0,
    },
  },
} satisfies OperatingPoint;
const BATCH = 8;

/** A copy of `source` under another name and temperature. */
async function renamedCopy(source: string, name: string, temperature: number): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `lf-${name}-`));
  await cp(source, dir, { recursive: true });
  await writeModelMetadata(dir, { ...(await readModelMetadata(dir)), name, temperature });
  return dir;
}

describe("inference worker on real services: ensemble, batching, Grad-CAM, verdict, idempotency, hot switch", () => {
  const services = useIsolatedServices();
  let worker: RunningInferenceWorker;
  let queue: LeukoflowQueue<"inference">;
  let gradcamQueue: LeukoflowQueue<"gradcam">;
  let labId: string;
  let specimenId: string;
  let ensembleId: string;
  let heldOut: string[];

  /** An image as the preprocess worker leaves it, its pixels made for a model of this input size. */
  async function seedImage(file: string, inputSize = 64): Promise<string> {
    const imageId = randomUUID();
    const preprocessedKey = `labs/${labId}/preprocessed/test/${imageId}.px`;
    const pixels = await decodeToModelInput(await readFile(file), { inputSize, stainNormalization: "none" });
    await services.objectStore.put(
      preprocessedKey,
      encodeModelInputPixels({ width: inputSize, height: inputSize, channels: 3, data: pixels }),
      "application/octet-stream",
    );
    await services.prisma.image.create({
      data: {
        id: imageId,
        labId,
        specimenId,
        sha256: randomUUID().replace(/-/g, "").padEnd(64, "0"),
        originalName: path.basename(file),
        objectKey: `labs/${labId}/images/${imageId}`,
        byteSize: 1,
        status: "PREPROCESSED",
        preprocessedKey,
        inputSize,
        stainNormalization: "none",
      },
    });
    return imageId;
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    const deps = { db: services.db, objectStore: services.objectStore };
    const meta = await readModelMetadata(SHIPPED_MODEL);
    heldOut = await heldOutImagePaths(ARIA_ORIGINAL_DIR, meta);
    // The shipped model carries its Mahalanobis OOD calibration (ood-statistics.bin), which travels through publish and fetch.
    expect(meta.ood).toBeDefined();
    await publishModel(deps, await renamedCopy(SHIPPED_MODEL, "aria-cnn-v1-t1", 1), { activate: false });
    await publishModel(deps, await renamedCopy(SHIPPED_MODEL, "aria-cnn-v1-t2", 2), { activate: false });
    const ensembleDir = await mkdtemp(path.join(tmpdir(), "lf-ensemble-"));
    await writeFile(
      path.join(ensembleDir, "ensemble.json"),
      JSON.stringify({
        name: "aria-ensemble",
        version: "1.0.0",
        task: meta.task,
        members: [
          { name: "aria-cnn-v1-t1", version: meta.version, weight: 3 },
          { name: "aria-cnn-v1-t2", version: meta.version, weight: 1 },
        ],
        operatingPoint: OPERATING_POINT,
      }),
    );
    ensembleId = (await publishModel(deps, ensembleDir, TEST_ACTIVATION)).id;

    const { lab } = await createTestLab(services.prisma, "inference-lab");
    labId = lab.id;
    specimenId = (await services.prisma.specimen.create({ data: { labId, accession: "INF-1" } })).id;
    queue = createQueue("inference", createRedisConnection(services.env.REDIS_URL!), services.env.QUEUE_PREFIX!);
    gradcamQueue = createQueue("gradcam", createRedisConnection(services.env.REDIS_URL!), services.env.QUEUE_PREFIX!);
    worker = await startInferenceWorker(
      loadInferenceEnv({
        ...services.env,
        MODEL_CACHE_DIR: await mkdtemp(path.join(tmpdir(), "lf-models-")),
        INFERENCE_CONCURRENCY: String(BATCH),
        INFERENCE_MAX_BATCH_SIZE: String(BATCH),
        INFERENCE_MAX_QUEUE_DELAY_MS: "300",
        INFERENCE_TTA: "flips",
        // An hour: the switches below come from the registry's notifications, not from the fallback re-read.
        MODEL_POLL_INTERVAL_MS: "3600000",
      }),
    );
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await gradcamQueue?.close();
  });

  it("batches concurrent jobs, records the ensemble and its members and completes the specimen with flags, in one transaction per batch", async () => {
    const aria = heldOut
      .filter((_, i) => i % 8 === 3)
      .filter((_, i) => i % 12 === 0)
      .slice(0, 6);
    const pbcDir = path.join(PBC_DIR, "lymphocyte");
    const pbc = readdirSync(pbcDir)
      .sort()
      .slice(0, 2)
      .map((file) => path.join(pbcDir, file));
    const imageIds = await Promise.all([...aria, ...pbc].map((file) => seedImage(file)));
    const pbcImageIds = imageIds.slice(aria.length);
    await queue.addBulk(
      imageIds.map((imageId) => ({
        name: "classify-image",
        data: { v: 1, imageId },
        opts: { jobId: `classify-${imageId}` },
      })),
    );

    const specimen = await waitFor("the specimen to complete", async () => {
      const row = await services.prisma.specimen.findUniqueOrThrow({ where: { id: specimenId } });
      return row.status === "COMPLETED" ? row : undefined;
    });
    const predictions = await services.prisma.prediction.findMany({ where: { imageId: { in: imageIds } } });
    expect(predictions).toHaveLength(imageIds.length);
    expect(worker.backend).toBe("wasm");
    // The shipped models carry model.onnx: ONNX Runtime serves them by default, tfjs only does the arithmetic around it.
    expect(worker.engines).toEqual(["onnx/cpu"]);
    for (const prediction of predictions) {
      expect(prediction.modelVersionId).toBe(ensembleId);
      const members = prediction.members as {
        modelVersionId: string;
        weight: number;
        probabilities: Record<string, number>;
      }[];
      expect(members.map((member) => member.weight)).toEqual([0.75, 0.25]);
      const probabilities = prediction.probabilities as Record<string, number>;
      for (const [label, p] of Object.entries(probabilities)) {
        expect(p).toBeCloseTo(0.75 * members[0]!.probabilities[label]! + 0.25 * members[1]!.probabilities[label]!, 5);
      }
      const row = SUBTYPE_LABELS.map((label) => probabilities[label]!);
      expect(prediction.malignantProbability).toBeCloseTo(malignantProbability(row, SUBTYPE_LABELS, ALL_SUBTYPES), 6);
      expect(prediction.label).toBe(
        SUBTYPE_LABELS[calledClass(row, SUBTYPE_LABELS, OPERATING_POINT.malignantThreshold, ALL_SUBTYPES)],
      );
      expect(prediction.oodScore).not.toBeNull();
      expect(prediction.flags.includes("out_of_distribution")).toBe(prediction.oodScore! > 0);
      if (pbcImageIds.includes(prediction.imageId)) expect(prediction.flags).toContain("out_of_distribution");
      expect(prediction.flags.includes("low_confidence")).toBe(prediction.confidence < 0.6);
      const image = await services.prisma.image.findUniqueOrThrow({ where: { id: prediction.imageId } });
      expect(image.status).toBe("CLASSIFIED");
      // Nobody asked for its Grad-CAM yet.
      expect(prediction.gradcamKey).toBeNull();
    }
    const batchSizes = predictions.map((prediction) => (prediction.timings as { batchSize: number }).batchSize);
    expect(Math.max(...batchSizes)).toBeGreaterThan(1);
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(BATCH);

    const summary = specimen.summary as unknown as SpecimenSummary;
    expect(summary.thresholds).toEqual({ image: 0.2, specimen: 0.9 });
    expect(summary.meanMalignantProbability).toBeCloseTo(
      predictions.reduce((sum, p) => sum + p.malignantProbability, 0) / predictions.length,
      10,
    );
    expect(summary.call).toBe(summary.meanMalignantProbability >= 0.9 ? "all_suspected" : "benign");
    expect(summary.classifiedCount).toBe(imageIds.length);
    const flagCounts: Record<string, number> = {};
    for (const flag of predictions.flatMap((prediction) => prediction.flags))
      flagCounts[flag] = (flagCounts[flag] ?? 0) + 1;
    expect(summary.flaggedImages).toEqual(flagCounts);
    expect([...summary.reviewReasons].sort()).toEqual(Object.keys(flagCounts).sort());
    const malignant = predictions.filter((prediction) => prediction.label !== "benign").length;
    expect(summary.malignantFraction).toBeCloseTo(malignant / imageIds.length, 10);
  });

  it("makes a prediction's Grad-CAM overlay when asked for, with the model version that made it", async () => {
    const prediction = await services.prisma.prediction.findFirstOrThrow({
      where: { modelVersionId: ensembleId },
      include: { image: true },
    });
    await enqueue(gradcamQueue, "render-gradcam", { v: 1, predictionId: prediction.id }, gradcamJobId(prediction.id));
    await waitFor("the Grad-CAM job", async () =>
      (await gradcamQueue.getJobState(gradcamJobId(prediction.id))) === "completed" ? true : undefined,
    );
    const { gradcamKey } = await services.prisma.prediction.findUniqueOrThrow({ where: { id: prediction.id } });
    expect(gradcamKey).toBe(`labs/${labId}/gradcam/${prediction.image.sha256}-${ensembleId}.png`);
    const overlay = await sharp(await services.objectStore.get(gradcamKey!)).metadata();
    expect([overlay.format, overlay.width, overlay.height]).toEqual(["png", 64, 64]);
  });

  it("makes the Grad-CAM as each image is classified for a lab that made review images eager", async () => {
    await services.prisma.lab.update({ where: { id: labId }, data: { eagerReviewImages: true } });
    try {
      const imageId = await seedImage(heldOut[1]!);
      await enqueue(queue, "classify-image", { v: 1, imageId }, `classify-${imageId}`);
      const prediction = await waitFor("the eager Grad-CAM", async () => {
        const row = await services.prisma.prediction.findFirst({ where: { imageId } });
        return row?.gradcamKey ? row : undefined;
      });
      expect((await gradcamQueue.getJob(gradcamJobId(prediction.id)))?.opts.priority).toBe(BACKGROUND_PRIORITY);
    } finally {
      await services.prisma.lab.update({ where: { id: labId }, data: { eagerReviewImages: false } });
    }
  });

  it("never duplicates a Prediction when a job is processed again", async () => {
    const before = await services.prisma.prediction.findMany({ orderBy: { id: "asc" } });
    const imageId = before[0]!.imageId;
    await enqueue(queue, "classify-image", { v: 1, imageId }, `classify-again-${imageId}`);
    await waitFor("the replayed job", async () =>
      (await queue.getJobState(`classify-again-${imageId}`)) === "completed" ? true : undefined,
    );
    const after = await services.prisma.prediction.findMany({ orderBy: { id: "asc" } });
    expect(after).toEqual(before);
  });

  it("sends an image whose pixels were made for another model's input back to preprocessing, once, in a new round", async () => {
    const preprocessQueue = createQueue(
      "preprocess",
      createRedisConnection(services.env.REDIS_URL!),
      services.env.QUEUE_PREFIX!,
    );
    try {
      const imageId = await seedImage(heldOut[2]!, 80);
      const classifyOnce = async (jobId: string) => {
        await enqueue(queue, "classify-image", { v: 1, imageId }, jobId);
        await waitFor(jobId, async () => ((await queue.getJobState(jobId)) === "completed" ? true : undefined));
        return services.prisma.image.findUniqueOrThrow({ where: { id: imageId } });
      };
      expect(await classifyOnce(`classify-${imageId}`)).toMatchObject({ status: "RECEIVED", round: 1 });
      expect(await services.prisma.prediction.count({ where: { imageId } })).toBe(0);
      expect(await preprocessQueue.getJobState(`preprocess-${imageId}-r1`)).toBe("waiting");
      // A replayed job finds the image already sent back: no third round, and its job is still the one waiting.
      expect(await classifyOnce(`classify-again-${imageId}`)).toMatchObject({ status: "RECEIVED", round: 1 });
      expect(await preprocessQueue.getWaiting()).toHaveLength(1);
    } finally {
      await preprocessQueue.close();
    }
  });

  it("retries, rather than sends back, an image made for the active model that this worker has not loaded yet", async () => {
    const { prisma } = services;
    const activate = (id: string) =>
      prisma.$transaction([
        prisma.modelVersion.updateMany({ data: { active: false } }),
        prisma.modelVersion.update({ where: { id }, data: { active: true } }),
      ]);
    // An 80 px version whose artifact is missing: the worker keeps serving the 64 px ensemble while it tries to load it.
    const unloadable = await prisma.modelVersion.create({
      data: {
        name: "unloadable-80",
        version: "1",
        architecture: "leuko-cnn",
        task: "all-subtype-4class",
        classes: [...SUBTYPE_LABELS],
        malignantClasses: [...ALL_SUBTYPES],
        inputSize: 80,
        artifactUri: "s3://missing/unloadable-80/",
        artifactSha256: "2".repeat(64),
        active: false,
      },
    });
    const previous = await prisma.modelVersion.findFirstOrThrow({ where: { active: true } });
    await activate(unloadable.id);
    try {
      const imageId = await seedImage(heldOut[3]!, 80);
      await enqueue(queue, "classify-image", { v: 1, imageId }, `classify-${imageId}`);
      const job = await waitFor("a failed attempt", async () => {
        const current = await queue.getJob(`classify-${imageId}`);
        return current && current.attemptsMade >= 1 ? current : undefined;
      });
      expect(job.failedReason).toBe(
        "this worker still serves aria-ensemble@1.0.0; the active unloadable-80@1 takes the image's input and loads soon",
      );
      expect(await prisma.image.findUniqueOrThrow({ where: { id: imageId } })).toMatchObject({
        status: "PREPROCESSED",
        round: 0,
      });
    } finally {
      await activate(previous.id);
    }
  });

  it("registers the stain normalization a model declares and refuses an ensemble whose members differ in it", async () => {
    const deps = { db: services.db, objectStore: services.objectStore };
    const meta = await readModelMetadata(SHIPPED_MODEL);
    const reinhardDir = await renamedCopy(SHIPPED_MODEL, "aria-cnn-v1-reinhard", 1);
    await writeModelMetadata(reinhardDir, {
      ...(await readModelMetadata(reinhardDir)),
      stainNormalization: "reinhard",
    });
    expect(await publishModel(deps, reinhardDir, { activate: false })).toMatchObject({
      stainNormalization: "reinhard",
    });
    expect(await services.prisma.modelVersion.findFirstOrThrow({ where: { name: "aria-cnn-v1-t1" } })).toMatchObject({
      stainNormalization: "none",
    });
    const mixedDir = await mkdtemp(path.join(tmpdir(), "lf-mixed-"));
    await writeFile(
      path.join(mixedDir, "ensemble.json"),
      JSON.stringify({
        name: "mixed-colours",
        version: "1.0.0",
        task: meta.task,
        members: [
          { name: "aria-cnn-v1-t1", version: meta.version, weight: 1 },
          { name: "aria-cnn-v1-reinhard", version: meta.version, weight: 1 },
        ],
      }),
    );
    await expect(publishModel(deps, mixedDir, { activate: false })).rejects.toThrow(
      /must share its task, classes, malignant classes, input size and stain normalization/,
    );
  });

  it("keeps serving the version it has when the activated one's model.onnx is corrupt, and serves one published without model.onnx by tfjs", async () => {
    const deps = { db: services.db, objectStore: services.objectStore };
    const serving = await services.prisma.modelVersion.findFirstOrThrow({ where: { active: true } });
    const classifyOne = async (file: string): Promise<{ modelVersionId: string }> => {
      const imageId = await seedImage(file);
      await enqueue(queue, "classify-image", { v: 1, imageId }, `classify-${imageId}`);
      await waitFor("the job", async () =>
        (await queue.getJobState(`classify-${imageId}`)) === "completed" ? true : undefined,
      );
      return services.prisma.prediction.findFirstOrThrow({ where: { imageId } });
    };

    const corruptDir = await renamedCopy(SHIPPED_MODEL, "aria-cnn-v1-corrupt-onnx", 1);
    await writeFile(
      path.join(corruptDir, "model.onnx"),
      (await readFile(path.join(corruptDir, "model.onnx"))).subarray(0, 4096),
    );
    await publishModel(deps, corruptDir, TEST_ACTIVATION);
    // Each job waits out the batch delay (300 ms), so these three span several polls of the registry (300 ms), each failing to load it.
    for (const file of heldOut.slice(2, 5)) expect((await classifyOne(file)).modelVersionId).toBe(serving.id);

    const withoutOnnxDir = await renamedCopy(SHIPPED_MODEL, "aria-cnn-v1-no-onnx", 1);
    const meta = await readModelMetadata(withoutOnnxDir);
    await rm(path.join(withoutOnnxDir, "model.onnx"));
    await writeModelMetadata(withoutOnnxDir, { ...meta, onnx: undefined });
    const withoutOnnx = await publishModel(deps, withoutOnnxDir, TEST_ACTIVATION);
    const prediction = await waitFor("a prediction by the version without model.onnx", async () => {
      const row = await classifyOne(heldOut[5]!);
      return row.modelVersionId === withoutOnnx.id ? row : undefined;
    });
    expect(prediction.modelVersionId).toBe(withoutOnnx.id);
  });

  it("publishes and serves a model imported from ONNX, which has no tfjs files", async () => {
    const meta = await readModelMetadata(SHIPPED_MODEL);
    const importedDir = await mkdtemp(path.join(tmpdir(), "lf-imported-"));
    await importOnnxModel({
      onnxFile: path.join(SHIPPED_MODEL, "model.onnx"),
      outDir: importedDir,
      name: "imported-onnx",
      version: "1.0.0",
      classes: meta.classes,
      malignantClasses: meta.malignantClasses,
      inputSize: meta.inputSize,
      layout: "NHWC",
      normalization: meta.normalization,
      logitsOutput: "logits",
      featureOutput: "features",
      lastConvOutput: "last_conv",
      splitOf: SHIPPED_MODEL,
    });
    const imported = await publishModel(
      { db: services.db, objectStore: services.objectStore },
      importedDir,
      TEST_ACTIVATION,
    );
    const prediction = await waitFor("a prediction by the imported model", async () => {
      const imageId = await seedImage(heldOut[6]!);
      await enqueue(queue, "classify-image", { v: 1, imageId }, `classify-${imageId}`);
      await waitFor("the job", async () =>
        (await queue.getJobState(`classify-${imageId}`)) === "completed" ? true : undefined,
      );
      const row = await services.prisma.prediction.findFirstOrThrow({ where: { imageId } });
      return row.modelVersionId === imported.id ? row : undefined;
    });
    expect(SUBTYPE_LABELS).toContain(prediction.label);
    expect(prediction.oodScore).toBeNull();
  });

  it("switches to a newly activated version without a restart", async () => {
    await publishModel({ db: services.db, objectStore: services.objectStore }, SHIPPED_MODEL, TEST_ACTIVATION);
    const single = await services.prisma.modelVersion.findFirstOrThrow({ where: { active: true } });
    const prediction = await waitFor("a prediction by the new version", async () => {
      const imageId = await seedImage(heldOut[1]!);
      await enqueue(queue, "classify-image", { v: 1, imageId }, `classify-${imageId}`);
      await waitFor("the job", async () =>
        (await queue.getJobState(`classify-${imageId}`)) === "completed" ? true : undefined,
      );
      const row = await services.prisma.prediction.findFirstOrThrow({ where: { imageId } });
      return row.modelVersionId === single.id ? row : undefined;
    });
    expect(prediction.members).toBeNull();
  });
});
