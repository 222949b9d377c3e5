import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@leukoflow/shared";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";
import { UnownedUploadSweeper } from "./services/unowned-uploads.js";

const HOUR = 3_600_000;
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Objects a failed cleanup left behind are deleted after two sweeps; everything an image or pending upload owns stays. */
describe("UnownedUploadSweeper", () => {
  const harness = useIngestServer();
  const { services } = harness;
  let lab: TestLab;
  const sweeper = () =>
    new UnownedUploadSweeper({
      db: services.db,
      objectStore: services.objectStore,
      logger: createLogger("sweep-test", "silent"),
      minAgeMs: HOUR,
    });

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-unowned");
  });

  /** A direct upload requested and PUT, not completed: its DirectUpload row owns the object. */
  async function putDirectUpload(specimenId: string, file: string) {
    const bytes = readFileSync(file);
    const response = await harness.json(lab.key, "POST", `/v1/specimens/${specimenId}/uploads`, {
      files: [{ fileName: path.basename(file), byteSize: bytes.length, sha256: sha256(bytes) }],
    });
    const [ticket] = ((await response.json()) as { uploads: { uploadId: string; url: string }[] }).uploads;
    expect((await fetch(ticket!.url, { method: "PUT", body: bytes })).status).toBe(200);
    return services.prisma.directUpload.findUniqueOrThrow({ where: { id: ticket!.uploadId } });
  }

  it("deletes an old object no row owns once two sweeps found it so, and keeps images', pending uploads', young and foreign objects", async () => {
    const specimen = await harness.createSpecimen(lab.key, "UNOWNED-1");
    const [streamed, pending, claimed, givenBack] = ariaImages("pro_b", 4, 40);
    expect(
      (await harness.upload(lab.key, specimen.id, [{ name: "streamed.jpg", bytes: readFileSync(streamed!) }])).status,
    ).toBe(201);
    const image = await services.prisma.image.findFirstOrThrow({ where: { specimenId: specimen.id } });
    const pendingUpload = await putDirectUpload(specimen.id, pending!);
    // A completion that claimed its upload (deleting the row) and then lost Postgres: nothing owns the object.
    const orphan = await putDirectUpload(specimen.id, claimed!);
    await services.prisma.directUpload.delete({ where: { id: orphan.id } });
    // Claimed the same way, but given back before the next sweep.
    const restored = await putDirectUpload(specimen.id, givenBack!);
    await services.prisma.directUpload.delete({ where: { id: restored.id } });
    const foreignKey = `labs/${lab.lab.id}/images/not-an-id.jpg`;
    await services.objectStore.put(foreignKey, Buffer.from("someone else's"), "image/jpeg");
    const keys = [image.objectKey, pendingUpload.objectKey, orphan.objectKey, restored.objectKey, foreignKey];

    const twoHoursOn = new Date(Date.now() + 2 * HOUR);
    const sweep = sweeper();
    expect(await sweep.sweep(new Date())).toEqual({ examined: 0, awaitingConfirmation: 0, deleted: 0 });
    expect(await sweep.sweep(twoHoursOn)).toEqual({ examined: 4, awaitingConfirmation: 2, deleted: 0 });
    await services.prisma.directUpload.create({ data: restored });
    expect(await sweep.sweep(twoHoursOn)).toEqual({ examined: 4, awaitingConfirmation: 0, deleted: 1 });

    const left = await services.objectStore.list(`labs/${lab.lab.id}/`);
    expect(left.sort()).toEqual(keys.filter((key) => key !== orphan.objectKey).sort());
    // A fresh sweeper (another replica, a restart) must see an object unowned twice itself.
    const unownedKey = `labs/${lab.lab.id}/images/${randomUUID()}`;
    await services.objectStore.put(unownedKey, Buffer.from("lost"), "image/jpeg");
    const other = sweeper();
    expect((await other.sweep(twoHoursOn)).deleted).toBe(0);
    expect((await other.sweep(twoHoursOn)).deleted).toBe(1);
    expect(await services.objectStore.head(unownedKey)).toBeNull();
  });
});
