import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { classifySpecimen, createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

interface Report {
  images: { id: string; status: string; prediction: { label: string } | null }[];
  status: string;
}

/** Storage is deduplicated, membership is not: a repeat of a smear in a new specimen is a real lab case. */
describe("the same bytes in another specimen", () => {
  const harness = useIngestServer();
  const { services, call, json, createSpecimen, upload } = harness;
  let lab: TestLab;

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-repeat");
  });

  const report = async (specimenId: string) =>
    (await (await call(lab.key, "GET", `/v1/specimens/${specimenId}`)).json()) as Report;
  const uploadOne = async (specimenId: string, bytes: Buffer) => {
    const response = await upload(lab.key, specimenId, [{ name: "repeat.jpg", bytes }]);
    expect(response.status).toBe(201);
    return ((await response.json()) as { accepted: { imageId: string; duplicate: boolean }[] }).accepted[0]!;
  };

  it("shows the image in the second specimen too, reusing the classification the active model made, and one stored object", async () => {
    const [file] = ariaImages("pro_b", 1, 70);
    const bytes = readFileSync(file!);
    const first = await createSpecimen(lab.key, "REPEAT-1");
    const original = await uploadOne(first.id, bytes);
    await classifySpecimen(services, first.id, "pro_b");

    const second = await createSpecimen(lab.key, "REPEAT-2");
    const repeat = await uploadOne(second.id, bytes);
    expect(repeat.imageId).not.toBe(original.imageId);
    expect(repeat.duplicate).toBe(false);

    const secondReport = await report(second.id);
    expect(secondReport.images.map((image) => image.id)).toEqual([repeat.imageId]);
    expect(secondReport.images[0]).toMatchObject({ status: "CLASSIFIED", prediction: { label: "pro_b" } });
    expect(secondReport.status).toBe("COMPLETED");
    expect((await report(first.id)).images.map((image) => image.id)).toEqual([original.imageId]);
    expect(await harness.preprocessQueue.getJob(`preprocess-${repeat.imageId}`)).toBeUndefined();

    const rows = await services.prisma.image.findMany({ where: { sha256: sha256(bytes) } });
    expect(new Set(rows.map((row) => row.objectKey)).size).toBe(1);
    const objects = await services.objectStore.list(`labs/${lab.lab.id}/`);
    expect(objects).toEqual([rows[0]!.objectKey]);

    // Uploaded again into the second specimen, it is that specimen's duplicate.
    expect(await uploadOne(second.id, bytes)).toMatchObject({ imageId: repeat.imageId, duplicate: true });
  });

  it("processes a repeat whose first copy is not classified yet, and gives a direct upload of known bytes an image in its own specimen", async () => {
    const [file] = ariaImages("benign", 1, 71);
    const bytes = readFileSync(file!);
    const first = await createSpecimen(lab.key, "REPEAT-3");
    await uploadOne(first.id, bytes);
    const second = await createSpecimen(lab.key, "REPEAT-4");
    const repeat = await uploadOne(second.id, bytes);
    expect((await report(second.id)).images).toEqual([
      expect.objectContaining({ id: repeat.imageId, status: "RECEIVED" }),
    ]);
    expect(await harness.preprocessQueue.getJob(`preprocess-${repeat.imageId}`)).toBeTruthy();

    const third = await createSpecimen(lab.key, "REPEAT-5");
    const response = await json(lab.key, "POST", `/v1/specimens/${third.id}/uploads`, {
      files: [{ fileName: "again.jpg", byteSize: bytes.length, sha256: sha256(bytes) }],
    });
    expect(response.status).toBe(201);
    const [ticket] = ((await response.json()) as { uploads: { status: string; imageId: string }[] }).uploads;
    expect(ticket!.status).toBe("duplicate");
    expect((await report(third.id)).images.map((image) => image.id)).toEqual([ticket!.imageId]);
    expect(
      new Set(
        (await services.prisma.image.findMany({ where: { sha256: sha256(bytes) } })).map((row) => row.specimenId),
      ),
    ).toEqual(new Set([first.id, second.id, third.id]));
  });
});
