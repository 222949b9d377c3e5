import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, createQueue, createRedisConnection } from "@leukoflow/shared";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab } from "../../../test/support/labs.js";
import { buildServer } from "./server.js";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";

const MAX_UPLOAD_BYTES = 200_000;

describe("ingest API", () => {
  const services = useIsolatedServices();
  let app: FastifyInstance;
  let baseUrl: string;
  let redis: Redis;
  let preprocessQueue: Queue;
  let labA: Awaited<ReturnType<typeof createTestLab>>;
  let labB: Awaited<ReturnType<typeof createTestLab>>;

  beforeAll(async () => {
    redis = createRedisConnection(services.env.REDIS_URL!);
    preprocessQueue = createQueue("preprocess", redis, services.env.QUEUE_PREFIX!);
    app = await buildServer({
      prisma: services.prisma,
      objectStore: services.objectStore,
      preprocessQueue: preprocessQueue as never,
      redis,
      logger: createLogger("ingest-test", "silent"),
      limits: { maxUploadBytes: MAX_UPLOAD_BYTES, maxFilesPerRequest: 10 },
    });
    baseUrl = await app.listen({ host: "127.0.0.1", port: 0 });
    labA = await createTestLab(services.prisma, "lab-a");
    labB = await createTestLab(services.prisma, "lab-b");
  });

  afterAll(async () => {
    await app?.close();
    await preprocessQueue?.close();
    redis?.disconnect();
  });

  const call = (key: string, method: string, route: string, body?: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${route}`, { method, body, headers: { authorization: `Bearer ${key}`, ...headers } });
  const createSpecimen = async (key: string, accession: string) => {
    const response = await call(key, "POST", "/v1/specimens", JSON.stringify({ accession }), { "content-type": "application/json" });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  };
  const upload = (key: string, specimenId: string, files: { name: string; bytes: Buffer }[]) => {
    const form = new FormData();
    for (const file of files) form.append("images", new Blob([file.bytes]), file.name);
    return call(key, "POST", `/v1/specimens/${specimenId}/images`, form);
  };

  it("streams real images to storage, records them and queues their preprocessing", async () => {
    const specimen = await createSpecimen(labA.key, "ACC-1");
    const files = ariaImages("benign", 3).map((file) => ({ name: path.basename(file), bytes: readFileSync(file) }));
    const response = await upload(labA.key, specimen.id, files);
    expect(response.status).toBe(201);
    const body = (await response.json()) as { accepted: { imageId: string; sha256: string; duplicate: boolean }[] };
    expect(body.accepted).toHaveLength(3);
    for (const [i, accepted] of body.accepted.entries()) {
      const expectedSha = createHash("sha256").update(files[i]!.bytes).digest("hex");
      expect(accepted.sha256).toBe(expectedSha);
      const row = await services.prisma.image.findUniqueOrThrow({ where: { id: accepted.imageId } });
      expect(row.status).toBe("RECEIVED");
      const stored = await services.objectStore.get(row.objectKey);
      expect(createHash("sha256").update(stored).digest("hex")).toBe(expectedSha);
      expect(await preprocessQueue.getJob(`preprocess-${accepted.imageId}`)).toBeTruthy();
    }
    const specimenRow = await services.prisma.specimen.findUniqueOrThrow({ where: { id: specimen.id } });
    expect(specimenRow.status).toBe("PROCESSING");
  });

  it("returns the existing image when a lab uploads the same bytes again, keeping one row and one object", async () => {
    const specimen = await createSpecimen(labA.key, "ACC-2");
    const [file] = ariaImages("pro_b", 1);
    const bytes = readFileSync(file!);
    const first = (await (await upload(labA.key, specimen.id, [{ name: "x.jpg", bytes }])).json()) as { accepted: { imageId: string }[] };
    const second = (await (await upload(labA.key, specimen.id, [{ name: "y.jpg", bytes }])).json()) as {
      accepted: { imageId: string; duplicate: boolean }[];
    };
    expect(second.accepted[0]).toMatchObject({ imageId: first.accepted[0]!.imageId, duplicate: true });
    const sha = createHash("sha256").update(bytes).digest("hex");
    expect(await services.prisma.image.count({ where: { sha256: sha } })).toBe(1);
    expect(await services.objectStore.list(`labs/${labA.lab.id}/images/`)).toHaveLength(
      await services.prisma.image.count({ where: { labId: labA.lab.id } }),
    );
  });

  it("refuses a text file named .jpg and a file over the size limit, leaving no row and no object", async () => {
    const specimen = await createSpecimen(labB.key, "ACC-3");
    const imagesBefore = await services.prisma.image.count();
    const objectsBefore = (await services.objectStore.list(`labs/${labB.lab.id}/`)).length;

    const text = await upload(labB.key, specimen.id, [{ name: "notes.jpg", bytes: Buffer.from("patient notes, not an image") }]);
    expect(text.status).toBe(415);
    expect(text.headers.get("content-type")).toContain("application/problem+json");
    expect(((await text.json()) as { type: string }).type).toMatch(/unsupported-image-format$/);

    const huge = Buffer.concat([readFileSync(ariaImages("pre_b", 1)[0]!), Buffer.alloc(MAX_UPLOAD_BYTES)]);
    const tooLarge = await upload(labB.key, specimen.id, [{ name: "huge.jpg", bytes: huge }]);
    expect(tooLarge.status).toBe(413);

    expect(await services.prisma.image.count()).toBe(imagesBefore);
    expect(await services.objectStore.list(`labs/${labB.lab.id}/`)).toHaveLength(objectsBefore);
  });

  it("keeps labs apart and refuses missing or revoked keys", async () => {
    const specimen = await createSpecimen(labA.key, "ACC-4");
    expect((await call(labB.key, "GET", `/v1/specimens/${specimen.id}`)).status).toBe(404);
    const listed = (await (await call(labB.key, "GET", "/v1/specimens")).json()) as { items: { id: string }[] };
    expect(listed.items.map((item) => item.id)).not.toContain(specimen.id);
    expect((await fetch(`${baseUrl}/v1/specimens`)).status).toBe(401);

    const revoked = await createTestLab(services.prisma, "lab-revoked");
    expect((await call(revoked.key, "GET", "/v1/specimens")).status).toBe(200);
    await services.prisma.apiKey.update({ where: { id: revoked.apiKey.id }, data: { revokedAt: new Date() } });
    expect((await call(revoked.key, "GET", "/v1/specimens")).status).toBe(401);
  });
});
