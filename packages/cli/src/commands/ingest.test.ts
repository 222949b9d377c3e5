import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ariaImages, ARIA_ORIGINAL_DIR } from "../../../../test/support/datasets.js";
import {
  classifySpecimen,
  createTestLab,
  useIngestServer,
  type TestLab,
} from "../../../../apps/ingest/test/ingest-harness.js";
import { ingestImages, type IngestOptions } from "./ingest.js";

const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() });
const quiet = () => ({ out: sink(), log: sink() });

describe("leukoflow ingest", () => {
  const harness = useIngestServer({ PROGRESS_POLL_MS: "100" });
  const { services } = harness;
  let lab: TestLab;
  let folder: string;
  let classifier: Promise<void> | undefined;
  let stopped = false;

  const options = (accession: string): IngestOptions => ({
    specimen: accession,
    url: harness.baseUrl,
    apiKey: lab.key,
    concurrency: 4,
    wait: true,
    timeoutSeconds: 30,
  });

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-cli");
    folder = mkdtempSync(path.join(tmpdir(), "leukoflow-ingest-"));
    // Stands in for the workers: classifies whatever the lab's specimens receive.
    classifier = (async () => {
      while (!stopped) {
        const pending = await services.prisma.image.findMany({
          where: { labId: lab.lab.id, status: "RECEIVED" },
          select: { specimenId: true },
        });
        for (const specimenId of new Set(pending.map((image) => image.specimenId)))
          await classifySpecimen(services, specimenId, "pro_b");
        await sleep(100);
      }
    })();
  });

  afterAll(async () => {
    stopped = true;
    await classifier;
    rmSync(folder, { recursive: true, force: true });
  });

  it("uploads the images a glob names in parallel, waits for their results and reports them", async () => {
    const outcome = await ingestImages(
      [path.join(ARIA_ORIGINAL_DIR, "pro_b", "WBC-Malignant-Pro-00[1-3].jpg")],
      options("CLI-1"),
      quiet(),
    );
    expect(outcome).toMatchObject({ uploaded: 3, skipped: 0, failed: [], ok: true });
    expect(outcome.report!.status).toBe("COMPLETED");
    const results = outcome.report!.images.map((image) => `${image.originalName} ${image.prediction?.label}`).sort();
    expect(results).toEqual([
      "WBC-Malignant-Pro-001.jpg pro_b",
      "WBC-Malignant-Pro-002.jpg pro_b",
      "WBC-Malignant-Pro-003.jpg pro_b",
    ]);
  });

  it("resumes a folder by skipping the images already uploaded, and fails on a file that is not an image", async () => {
    for (const file of [...ariaImages("pro_b", 3), ...ariaImages("benign", 1, 90)])
      copyFileSync(file, path.join(folder, path.basename(file)));
    const resumed = await ingestImages([folder], options("CLI-2"), quiet());
    expect(resumed).toMatchObject({ uploaded: 1, skipped: 3, failed: [], ok: true });

    writeFileSync(path.join(folder, "scan-notes.JPG"), "not an image");
    const failing = await ingestImages([folder], options("CLI-2"), quiet());
    expect(failing).toMatchObject({ uploaded: 0, skipped: 4, ok: false });
    expect(failing.failed).toEqual([{ fileName: "scan-notes.JPG", reason: expect.stringContaining("415") }]);
    // The three bytes CLI-1 holds are sent no more, but are images of CLI-2 too (storage is shared, membership is not).
    const imagesBySpecimen = await services.prisma.image.groupBy({
      by: ["specimenId"],
      where: { labId: lab.lab.id },
      _count: { _all: true },
    });
    expect(imagesBySpecimen.map((group) => group._count._all).sort()).toEqual([3, 4]);
    expect(await services.prisma.image.groupBy({ by: ["objectKey"], where: { labId: lab.lab.id } })).toHaveLength(4);
  });
});
