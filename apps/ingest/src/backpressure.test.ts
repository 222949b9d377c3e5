import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

describe("backpressure", () => {
  const harness = useIngestServer({ MAX_PREPROCESS_BACKLOG: "2", BACKLOG_RETRY_AFTER_SECONDS: "17" });
  const { services, upload, createSpecimen } = harness;
  let lab: TestLab;

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-busy");
  });

  const files = (offset: number, count: number) =>
    ariaImages("early_pre_b", count, offset).map((file) => ({ name: path.basename(file), bytes: readFileSync(file) }));

  it("answers 503 with Retry-After once the preprocess backlog reaches its bound, and takes uploads again when it drains", async () => {
    const specimen = await createSpecimen(lab.key, "BUSY-1");
    expect((await upload(lab.key, specimen.id, files(0, 2))).status).toBe(201);
    expect(await harness.preprocessQueue.getWaitingCount()).toBe(2);

    const refused = await upload(lab.key, specimen.id, files(2, 1));
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("17");
    expect(((await refused.json()) as { type: string }).type).toMatch(/\/ingest-backlogged$/);
    const [next] = files(2, 1);
    const presign = await harness.json(lab.key, "POST", `/v1/specimens/${specimen.id}/uploads`, {
      files: [
        {
          fileName: next!.name,
          byteSize: next!.bytes.length,
          sha256: createHash("sha256").update(next!.bytes).digest("hex"),
        },
      ],
    });
    expect(presign.status).toBe(503);
    expect(await services.prisma.image.count({ where: { specimenId: specimen.id } })).toBe(2);
    expect(await services.prisma.directUpload.count()).toBe(0);

    await harness.preprocessQueue.drain();
    expect((await upload(lab.key, specimen.id, files(2, 1))).status).toBe(201);
  });
});
