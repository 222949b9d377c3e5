import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

const MAX_UPLOAD_BYTES = 200_000;

describe("ingest API", () => {
  const harness = useIngestServer({
    MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    MAX_FILES_PER_REQUEST: "10",
    MAX_IMAGE_PIXELS: "20000000",
  });
  const { services, call, createSpecimen, upload } = harness;
  let labA: TestLab;
  let labB: TestLab;

  beforeAll(async () => {
    labA = await createTestLab(services.prisma, "lab-a");
    labB = await createTestLab(services.prisma, "lab-b");
  });

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
      expect(await harness.preprocessQueue.getJob(`preprocess-${accepted.imageId}`)).toBeTruthy();
    }
    const specimenRow = await services.prisma.specimen.findUniqueOrThrow({ where: { id: specimen.id } });
    expect(specimenRow.status).toBe("PROCESSING");
  });

  it("returns the existing image when a lab uploads the same bytes again, keeping one row and one object", async () => {
    const specimen = await createSpecimen(labA.key, "ACC-2");
    const [file] = ariaImages("pro_b", 1);
    const bytes = readFileSync(file!);
    const first = (await (await upload(labA.key, specimen.id, [{ name: "x.jpg", bytes }])).json()) as {
      accepted: { imageId: string }[];
    };
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

    const text = await upload(labB.key, specimen.id, [
      { name: "notes.jpg", bytes: Buffer.from("patient notes, not an image") },
    ]);
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
    expect((await fetch(`${harness.baseUrl}/v1/specimens`)).status).toBe(401);

    const revoked = await createTestLab(services.prisma, "lab-revoked");
    expect((await call(revoked.key, "GET", "/v1/specimens")).status).toBe(200);
    await services.prisma.apiKey.update({ where: { id: revoked.apiKey.id }, data: { revokedAt: new Date() } });
    expect((await call(revoked.key, "GET", "/v1/specimens")).status).toBe(401);
  });

  it("refuses an image whose header declares more pixels than the limit, before storing anything", async () => {
    const specimen = await createSpecimen(labA.key, "ACC-5");
    const huge = await sharp({ create: { width: 5000, height: 5000, channels: 3, background: "#c8a2c8" } })
      .png()
      .toBuffer();
    const objectsBefore = await services.objectStore.list(`labs/${labA.lab.id}/`);
    const response = await upload(labA.key, specimen.id, [{ name: "huge.png", bytes: huge }]);
    expect(response.status).toBe(413);
    const problem = (await response.json()) as { type: string; detail: string };
    expect(problem.type).toMatch(/\/too-many-pixels$/);
    expect(problem.detail).toContain("5000×5000");
    expect(await services.prisma.image.count({ where: { specimenId: specimen.id } })).toBe(0);
    expect(await services.objectStore.list(`labs/${labA.lab.id}/`)).toEqual(objectsBefore);
  });

  it("answers invalid requests and unknown routes as problem+json naming the bad field", async () => {
    const response = await harness.json(labA.key, "POST", "/v1/specimens", { accession: "" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await response.json()) as { type: string; errors: { path: string }[] };
    expect(problem.type).toBe("https://leukoflow.dev/problems/invalid-request");
    expect(problem.errors.map((error) => error.path)).toEqual(["body.accession"]);
    expect((await call(labA.key, "GET", "/v1/specimens/not-a-uuid")).status).toBe(400);
    const missing = await call(labA.key, "GET", "/v1/nothing-here");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { type: string }).type).toMatch(/\/not-found$/);
  });

  it("serves an OpenAPI 3 document generated from the zod schemas the routes validate with", async () => {
    const response = await fetch(`${harness.baseUrl}/docs/json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: {
              content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }>;
            };
            parameters?: { name: string; in: string }[];
          }
        >
      >;
    };
    expect(document.openapi).toMatch(/^3\./);
    const create = document.paths["/v1/specimens"]!.post!;
    const bodySchema = create.requestBody!.content["application/json"]!.schema;
    expect(bodySchema.properties.accession).toMatchObject({ type: "string", minLength: 1, maxLength: 100 });
    expect(bodySchema.required).toEqual(["accession"]);
    expect(create.parameters).toContainEqual(expect.objectContaining({ name: "idempotency-key", in: "header" }));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/v1/specimens/{specimenId}",
        "/v1/specimens/{specimenId}/images",
        "/v1/specimens/{specimenId}/uploads",
        "/v1/uploads/{uploadId}/complete",
        "/v1/specimens/{specimenId}/events",
        "/v1/specimens/{specimenId}/fhir",
        "/v1/api-keys",
        "/v1/webhook",
      ]),
    );
    const schemas = (document as unknown as { components: { schemas: Record<string, { required: string[] }> } })
      .components.schemas;
    expect(schemas.Problem!.required).toEqual(["type", "title", "status", "instance"]);
    expect(JSON.stringify(create)).toContain("#/components/schemas/Problem");
    expect((await fetch(`${harness.baseUrl}/docs`)).status).toBe(200);
  });
});
