import { afterAll, beforeAll, expect } from "vitest";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import {
  completeSpecimenIfSettled,
  createLogger,
  createQueue,
  createRedisConnection,
  ImageStatus,
  retryPolicyFromEnv,
  type LeukoflowQueue,
  SpecimenChangePublisher,
} from "@leukoflow/shared";
import { useIsolatedServices, type IsolatedServices } from "../../../test/support/isolated-services.js";
import { createTestLab } from "../../../test/support/labs.js";
import { loadIngestEnv } from "../src/env.js";
import { buildServer, ingestLimits } from "../src/server.js";
import { ALL_SUBTYPES, isMalignantClass, SUBTYPE_LABELS } from "@leukoflow/contracts";

export type TestLab = Awaited<ReturnType<typeof createTestLab>>;

export interface IngestHarness {
  services: IsolatedServices;
  app: FastifyInstance;
  baseUrl: string;
  redis: Redis;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  env: Record<string, string>;
  call(
    key: string,
    method: string,
    route: string,
    body?: RequestInit["body"],
    headers?: Record<string, string>,
  ): Promise<Response>;
  json(key: string, method: string, route: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  createSpecimen(key: string, accession: string): Promise<{ id: string; accession: string }>;
  upload(key: string, specimenId: string, files: { name: string; bytes: Buffer }[]): Promise<Response>;
}

/** A real ingest server on its own database, Redis prefix and bucket, for one test file. */
export function useIngestServer(envOverrides: Record<string, string> = {}): IngestHarness {
  const services = useIsolatedServices();
  const harness = { services, env: { ...services.env, ...envOverrides } } as IngestHarness;

  beforeAll(async () => {
    harness.redis = createRedisConnection(services.env.REDIS_URL!);
    const env = loadIngestEnv(harness.env);
    harness.preprocessQueue = createQueue("preprocess", harness.redis, env.QUEUE_PREFIX, retryPolicyFromEnv(env));
    harness.app = await buildServer({
      db: services.db,
      objectStore: services.objectStore,
      preprocessQueue: harness.preprocessQueue,
      redis: harness.redis,
      logger: createLogger("ingest-test", "silent"),
      limits: ingestLimits(env),
    });
    harness.baseUrl = await harness.app.listen({ host: "127.0.0.1", port: 0 });
  });

  afterAll(async () => {
    await harness.app?.close();
    await harness.preprocessQueue?.close();
    harness.redis?.disconnect();
  });

  harness.call = (key, method, route, body, headers = {}) =>
    fetch(`${harness.baseUrl}${route}`, { method, body, headers: { authorization: `Bearer ${key}`, ...headers } });
  harness.json = (key, method, route, body, headers = {}) =>
    harness.call(key, method, route, JSON.stringify(body), { "content-type": "application/json", ...headers });
  harness.createSpecimen = async (key, accession) => {
    const response = await harness.json(key, "POST", "/v1/specimens", { accession });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; accession: string };
  };
  harness.upload = (key, specimenId, files) => {
    const form = new FormData();
    for (const file of files) form.append("images", new Blob([file.bytes]), file.name);
    return harness.call(key, "POST", `/v1/specimens/${specimenId}/images`, form);
  };
  return harness;
}

export { createTestLab };

/**
 * Stands in for the preprocess and inference workers: records a prediction for each of the
 * specimen's images in flight, completes the specimen with the shared completion code, and
 * publishes the change as they do.
 */
export async function classifySpecimen(
  { prisma, db, redis, env }: Pick<IsolatedServices, "prisma" | "db" | "redis" | "env">,
  specimenId: string,
  label: (typeof SUBTYPE_LABELS)[number],
): Promise<void> {
  const model = await prisma.modelVersion.upsert({
    where: { name_version: { name: "test-cnn", version: "1.0.0" } },
    create: {
      name: "test-cnn",
      version: "1.0.0",
      architecture: "test",
      task: "subtype",
      classes: [...SUBTYPE_LABELS],
      malignantClasses: [...ALL_SUBTYPES],
      inputSize: 224,
      artifactUri: "s3://models/test-cnn/1.0.0/",
      artifactSha256: "0".repeat(64),
      active: true,
    },
    update: {},
  });
  const images = await prisma.image.findMany({
    where: { specimenId, status: { in: [ImageStatus.RECEIVED, ImageStatus.PREPROCESSED] } },
  });
  for (const image of images) {
    const probabilities = Object.fromEntries(SUBTYPE_LABELS.map((l) => [l, l === label ? 0.91 : 0.03]));
    await prisma.prediction.create({
      data: {
        imageId: image.id,
        modelVersionId: model.id,
        label,
        probabilities,
        confidence: 0.91,
        malignantProbability: isMalignantClass(label, ALL_SUBTYPES) ? 0.97 : 0.09,
        timings: { inference: 12 },
      },
    });
    await prisma.image.update({ where: { id: image.id }, data: { status: ImageStatus.CLASSIFIED } });
  }
  await completeSpecimenIfSettled(db, specimenId);
  const changes = new SpecimenChangePublisher(redis, env.QUEUE_PREFIX!, createLogger("ingest-test", "silent"));
  await changes.publishImages(
    images.map((image) => ({ ...image, imageId: image.id })),
    ImageStatus.CLASSIFIED,
  );
}
