import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";
import { Housekeeping } from "./services/housekeeping.js";

type Ticket =
  | { status: "pending"; uploadId: string; url: string; fileName: string; sha256: string }
  | { status: "duplicate"; imageId: string; fileName: string; sha256: string };

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("direct-to-storage uploads", () => {
  const harness = useIngestServer();
  const { services, json, call } = harness;
  let lab: TestLab;

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-direct");
  });

  const requestUploads = async (
    specimenId: string,
    files: { name: string; bytes: Buffer; declaredSha?: string; declaredSize?: number }[],
  ) => {
    const response = await json(lab.key, "POST", `/v1/specimens/${specimenId}/uploads`, {
      files: files.map((file) => ({
        fileName: file.name,
        byteSize: file.declaredSize ?? file.bytes.length,
        sha256: file.declaredSha ?? sha256(file.bytes),
      })),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { uploads: Ticket[] }).uploads;
  };
  const put = (ticket: Ticket, bytes: Buffer) => {
    if (ticket.status !== "pending") throw new Error("expected a pending ticket");
    return fetch(ticket.url, { method: "PUT", body: bytes });
  };
  const complete = (uploadId: string) => call(lab.key, "POST", `/v1/uploads/${uploadId}/complete`);
  const pendingId = (ticket: Ticket | undefined) => (ticket?.status === "pending" ? ticket.uploadId : "");

  it("accepts files PUT to presigned URLs once their size and sha256 check out, and returns known bytes as duplicates", async () => {
    const specimen = await harness.createSpecimen(lab.key, "DIRECT-1");
    const files = ariaImages("pre_b", 3, 10).map((file) => ({ name: path.basename(file), bytes: readFileSync(file) }));
    const tickets = await requestUploads(specimen.id, files);
    expect(tickets.map((ticket) => ticket.status)).toEqual(["pending", "pending", "pending"]);

    for (const [i, ticket] of tickets.entries()) expect((await put(ticket, files[i]!.bytes)).status).toBe(200);
    for (const [i, ticket] of tickets.entries()) {
      const response = await complete(pendingId(ticket));
      expect(response.status).toBe(201);
      const accepted = (await response.json()) as { imageId: string; sha256: string; duplicate: boolean };
      expect(accepted).toMatchObject({ imageId: pendingId(ticket), sha256: sha256(files[i]!.bytes), duplicate: false });
      const row = await services.prisma.image.findUniqueOrThrow({ where: { id: accepted.imageId } });
      expect(row).toMatchObject({
        specimenId: specimen.id,
        status: "RECEIVED",
        format: "jpeg",
        width: 224,
        height: 224,
      });
      expect(sha256(await services.objectStore.get(row.objectKey))).toBe(accepted.sha256);
      expect(await harness.preprocessQueue.getJob(`preprocess-${accepted.imageId}`)).toBeTruthy();
    }
    expect(await services.prisma.directUpload.count()).toBe(0);

    const repeat = await complete(pendingId(tickets[0]));
    expect(repeat.status).toBe(201);
    expect(((await repeat.json()) as { imageId: string }).imageId).toBe(pendingId(tickets[0]));

    const resumed = await requestUploads(specimen.id, [
      ...files.slice(0, 2),
      ...ariaImages("pre_b", 1, 13).map((f) => ({ name: path.basename(f), bytes: readFileSync(f) })),
    ]);
    expect(resumed.map((ticket) => ticket.status)).toEqual(["duplicate", "duplicate", "pending"]);
    expect(resumed[0]).toMatchObject({ status: "duplicate", imageId: pendingId(tickets[0]) });
  });

  it("refuses an object whose bytes differ from the declaration or that is not an image, leaving no row and no object", async () => {
    const specimen = await harness.createSpecimen(lab.key, "DIRECT-2");
    const [real] = ariaImages("pro_b", 1, 20).map((file) => readFileSync(file));
    const [other] = ariaImages("benign", 1, 40).map((file) => readFileSync(file));
    const text = Buffer.from("this is a lab report, not an image, honestly");
    const tickets = await requestUploads(specimen.id, [
      { name: "swapped.jpg", bytes: other!, declaredSha: sha256(real!), declaredSize: other!.length },
      { name: "short.jpg", bytes: real!.subarray(0, 1000), declaredSize: real!.length, declaredSha: sha256(real!) },
      { name: "notes.jpg", bytes: text },
    ]);
    const bodies = [other!, real!.subarray(0, 1000), text];
    const objectsBefore = (await services.objectStore.list(`labs/${lab.lab.id}/`)).length;
    for (const [i, ticket] of tickets.entries()) expect((await put(ticket, bodies[i]!)).status).toBe(200);

    const outcomes = [];
    for (const ticket of tickets) {
      const response = await complete(pendingId(ticket));
      outcomes.push([response.status, ((await response.json()) as { type?: string }).type?.split("/").at(-1)]);
    }
    expect(outcomes).toEqual([
      [422, "upload-checksum-mismatch"],
      [422, "upload-size-mismatch"],
      [415, "unsupported-image-format"],
    ]);
    expect(await services.prisma.image.count({ where: { specimenId: specimen.id } })).toBe(0);
    expect(await services.prisma.directUpload.count({ where: { specimenId: specimen.id } })).toBe(0);
    expect(await services.objectStore.list(`labs/${lab.lab.id}/`)).toHaveLength(objectsBefore);
    for (const ticket of tickets) {
      for (const folder of ["images", "uploads"])
        expect(await services.objectStore.head(`labs/${lab.lab.id}/${folder}/${pendingId(ticket)}`)).toBeNull();
    }
  });

  it("classifies exactly the verified bytes, whatever is PUT to the URL after completion", async () => {
    const specimen = await harness.createSpecimen(lab.key, "DIRECT-6");
    const [verified] = ariaImages("benign", 1, 50).map((file) => readFileSync(file));
    const [ticket] = await requestUploads(specimen.id, [{ name: "verified.jpg", bytes: verified! }]);
    expect((await put(ticket!, verified!)).status).toBe(200);
    expect((await complete(pendingId(ticket))).status).toBe(201);

    const tampered = Buffer.from(verified!);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 3) ^ 0xff, tampered.length - 3);
    // s3rver takes it (it checks no signature); S3 and MinIO take it too while the URL lives. Either way it must land nowhere that is read.
    await put(ticket!, tampered);

    const image = await services.prisma.image.findUniqueOrThrow({ where: { id: pendingId(ticket) } });
    expect(new URL(ticket!.status === "pending" ? ticket!.url : "").pathname).not.toContain(image.objectKey);
    expect(sha256(await services.objectStore.get(image.objectKey))).toBe(sha256(verified!));
    const original = await call(lab.key, "GET", `/v1/images/${image.id}/original`);
    expect(sha256(Buffer.from(await original.arrayBuffer()))).toBe(sha256(verified!));
    const again = await complete(pendingId(ticket));
    expect(((await again.json()) as { sha256: string }).sha256).toBe(sha256(verified!));
  });

  it("answers 409 for a complete before the PUT, and 413 for a declared file over the size limit", async () => {
    const specimen = await harness.createSpecimen(lab.key, "DIRECT-3");
    const [bytes] = ariaImages("benign", 1, 30).map((file) => readFileSync(file));
    const [ticket] = await requestUploads(specimen.id, [{ name: "later.jpg", bytes: bytes! }]);
    const early = await complete(pendingId(ticket));
    expect(early.status).toBe(409);
    expect(((await early.json()) as { type: string }).type).toMatch(/\/upload-not-received$/);
    await put(ticket!, bytes!);
    expect((await complete(pendingId(ticket))).status).toBe(201);

    const tooLarge = await json(lab.key, "POST", `/v1/specimens/${specimen.id}/uploads`, {
      files: [{ fileName: "huge.tif", byteSize: 60 * 1024 * 1024, sha256: "a".repeat(64) }],
    });
    expect(tooLarge.status).toBe(413);
  });

  it("sweeps away uploads never completed before they expired, and idempotency keys past their lifetime", async () => {
    const specimen = await harness.createSpecimen(lab.key, "DIRECT-4");
    const [bytes] = ariaImages("benign", 1, 31).map((file) => readFileSync(file));
    const [abandoned] = await requestUploads(specimen.id, [{ name: "abandoned.jpg", bytes: bytes! }]);
    await put(abandoned!, bytes!);
    const objectKey = `labs/${lab.lab.id}/uploads/${pendingId(abandoned)}`;
    expect(await services.objectStore.head(objectKey)).not.toBeNull();
    await json(lab.key, "POST", "/v1/specimens", { accession: "DIRECT-5" }, { "idempotency-key": "old-key" });

    const housekeeping = new Housekeeping({
      db: services.db,
      objectStore: services.objectStore,
      idempotencyKeyTtlMs: 3_600_000,
    });
    expect(await housekeeping.sweep()).toEqual({ expiredUploads: 0, expiredIdempotencyKeys: 0 });
    const pending = await services.prisma.directUpload.count();
    expect(pending).toBeGreaterThanOrEqual(1);
    const later = new Date(Date.now() + 2 * 3_600_000);
    expect(await housekeeping.sweep(later)).toEqual({ expiredUploads: pending, expiredIdempotencyKeys: 1 });
    expect(await services.objectStore.head(objectKey)).toBeNull();
    expect(await services.prisma.directUpload.count({ where: { id: pendingId(abandoned) } })).toBe(0);
    expect((await complete(pendingId(abandoned))).status).toBe(404);
  });
});
