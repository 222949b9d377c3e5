import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { classifySpecimen, createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

/** Lab B, holding every scope, tries everything of lab A's it could name. */
describe("tenant isolation", () => {
  const harness = useIngestServer({ PROGRESS_POLL_MS: "100" });
  const { services, json, call } = harness;
  let labA: TestLab;
  let labB: TestLab;
  let specimenA: { id: string; accession: string };
  let bytes: Buffer;
  let sha256: string;
  let pendingUploadA: string;
  let completedUploadA: string;

  beforeAll(async () => {
    labA = await createTestLab(services.prisma, "lab-a", ["READ", "WRITE", "ADMIN"]);
    labB = await createTestLab(services.prisma, "lab-b", ["READ", "WRITE", "ADMIN"]);
    specimenA = await harness.createSpecimen(labA.key, "SHARED-ACC");
    [bytes] = ariaImages("early_pre_b", 2, 70).map((file) => readFileSync(file)) as [Buffer];
    sha256 = createHash("sha256").update(bytes).digest("hex");
    const [other] = ariaImages("pro_b", 1, 70).map((file) => readFileSync(file));
    const tickets = (await (
      await json(labA.key, "POST", `/v1/specimens/${specimenA.id}/uploads`, {
        files: [
          { fileName: "a.jpg", byteSize: bytes.length, sha256 },
          { fileName: "b.jpg", byteSize: other!.length, sha256: createHash("sha256").update(other!).digest("hex") },
        ],
      })
    ).json()) as { uploads: { uploadId: string; url: string }[] };
    [completedUploadA, pendingUploadA] = tickets.uploads.map((ticket) => ticket.uploadId) as [string, string];
    await fetch(tickets.uploads[0]!.url, { method: "PUT", body: bytes });
    await fetch(tickets.uploads[1]!.url, { method: "PUT", body: other });
    expect((await call(labA.key, "POST", `/v1/uploads/${completedUploadA}/complete`)).status).toBe(201);
    await classifySpecimen(services, specimenA.id, "early_pre_b");
  });

  it("answers 404 for lab A's specimen on every specimen endpoint, SSE and FHIR export included", async () => {
    const form = new FormData();
    form.append("images", new Blob([bytes]), "x.jpg");
    const attempts = await Promise.all([
      call(labB.key, "GET", `/v1/specimens/${specimenA.id}`),
      call(labB.key, "GET", `/v1/specimens/${specimenA.id}/events`),
      call(labB.key, "GET", `/v1/specimens/${specimenA.id}/fhir`),
      call(labB.key, "POST", `/v1/specimens/${specimenA.id}/images`, form),
      json(labB.key, "POST", `/v1/specimens/${specimenA.id}/uploads`, {
        files: [{ fileName: "x.jpg", byteSize: bytes.length, sha256 }],
      }),
    ]);
    expect(attempts.map((response) => response.status)).toEqual([404, 404, 404, 404, 404]);
    const listed = (await (await call(labB.key, "GET", "/v1/specimens?accession=SHARED-ACC")).json()) as {
      items: unknown[];
    };
    expect(listed.items).toEqual([]);
    expect(await services.prisma.image.count({ where: { labId: labB.lab.id } })).toBe(0);
    expect(await services.prisma.directUpload.count({ where: { labId: labB.lab.id } })).toBe(0);
  });

  it("answers 404 for lab A's uploads, pending or completed, and leaves them to lab A", async () => {
    expect((await call(labB.key, "POST", `/v1/uploads/${pendingUploadA}/complete`)).status).toBe(404);
    expect((await call(labB.key, "POST", `/v1/uploads/${completedUploadA}/complete`)).status).toBe(404);
    expect(await services.prisma.directUpload.count({ where: { id: pendingUploadA } })).toBe(1);
    expect((await call(labA.key, "POST", `/v1/uploads/${pendingUploadA}/complete`)).status).toBe(201);
  });

  it("never tells lab B that lab A holds the same bytes or the same accession or idempotency key", async () => {
    const specimenB = await harness.createSpecimen(labB.key, "SHARED-ACC");
    expect(specimenB.id).not.toBe(specimenA.id);
    const tickets = (await (
      await json(labB.key, "POST", `/v1/specimens/${specimenB.id}/uploads`, {
        files: [{ fileName: "x.jpg", byteSize: bytes.length, sha256 }],
      })
    ).json()) as { uploads: { status: string; url: string }[] };
    expect(tickets.uploads[0]).toMatchObject({ status: "pending" });
    expect(tickets.uploads[0]!.url).toContain(`labs/${labB.lab.id}/`);

    const form = new FormData();
    form.append("images", new Blob([bytes]), "x.jpg");
    const uploaded = (await (await call(labB.key, "POST", `/v1/specimens/${specimenB.id}/images`, form)).json()) as {
      accepted: { duplicate: boolean; imageId: string }[];
    };
    expect(uploaded.accepted[0]!.duplicate).toBe(false);
    expect(uploaded.accepted[0]!.imageId).not.toBe(completedUploadA);

    const headers = { "idempotency-key": "same-key" };
    const a = (await (await json(labA.key, "POST", "/v1/specimens", { accession: "IDEM-A" }, headers)).json()) as {
      id: string;
    };
    const b = await json(labB.key, "POST", "/v1/specimens", { accession: "IDEM-B" }, headers);
    expect(b.status).toBe(201);
    expect(((await b.json()) as { id: string }).id).not.toBe(a.id);
  });

  it("answers 404 for lab A's image on every image route, reads and review alike", async () => {
    const imageA = await services.prisma.image.findFirstOrThrow({ where: { labId: labA.lab.id } });
    const attempts = await Promise.all([
      ...["original", "preprocessed", "gradcam"].map((variant) =>
        call(labB.key, "GET", `/v1/images/${imageA.id}/${variant}`),
      ),
      json(labB.key, "POST", `/v1/images/${imageA.id}/review`, {
        decision: "OVERRIDDEN",
        label: "benign",
        reason: "lab B says so",
      }),
    ]);
    expect(attempts.map((response) => response.status)).toEqual([404, 404, 404, 404]);
    expect(await services.prisma.review.count({ where: { imageId: imageA.id } })).toBe(0);
    expect((await call(labA.key, "GET", `/v1/images/${imageA.id}/original`)).status).toBe(200);
  });

  // Whether storage honours the signature is storage's promise (s3rver, used by the tests, does not
  // check V4 signatures; S3 and MinIO do): ingest's part is to sign only keys under the caller's lab.
  it("presigns each upload for one key under the caller's own lab prefix, bound to the declared size", async () => {
    const specimenB = await harness.createSpecimen(labB.key, "PRESIGNED-B");
    const [other] = ariaImages("pre_b", 1, 71).map((file) => readFileSync(file));
    const ticket = (await (
      await json(labB.key, "POST", `/v1/specimens/${specimenB.id}/uploads`, {
        files: [
          {
            fileName: "../../labs/other.jpg",
            byteSize: other!.length,
            sha256: createHash("sha256").update(other!).digest("hex"),
          },
        ],
      })
    ).json()) as { uploads: { uploadId: string; url: string }[] };
    const url = new URL(ticket.uploads[0]!.url);
    expect(decodeURIComponent(url.pathname)).toBe(
      `/${services.env.S3_BUCKET}/labs/${labB.lab.id}/uploads/${ticket.uploads[0]!.uploadId}`,
    );
    expect(url.searchParams.get("X-Amz-SignedHeaders")?.split(";")).toContain("content-length");
  });

  it("keeps API keys and webhooks to their own lab", async () => {
    expect((await call(labB.key, "DELETE", `/v1/api-keys/${labA.apiKey.id}`)).status).toBe(404);
    expect((await call(labA.key, "GET", "/v1/specimens")).status).toBe(200);
    const keysB = (await (await call(labB.key, "GET", "/v1/api-keys")).json()) as { items: { id: string }[] };
    expect(keysB.items.map((key) => key.id)).toEqual([labB.apiKey.id]);

    expect((await json(labA.key, "PUT", "/v1/webhook", { url: "https://lab-a.example/hooks" })).status).toBe(200);
    expect(await (await call(labB.key, "GET", "/v1/webhook")).json()).toEqual({ url: null });
  });
});
