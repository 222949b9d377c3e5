import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import {
  classifySpecimen,
  createTestLab,
  useIngestServer,
  type TestLab,
} from "../../../apps/ingest/test/ingest-harness.js";
import type { ImageChange, LabSpecimenProgress, SpecimenProgress } from "@leukoflow/contracts";
import { IngestApiError } from "./client.js";
import { NodeIngestApiClient } from "./node-client.js";

describe("the generated ingest API client against a real ingest server", () => {
  const harness = useIngestServer();
  let lab: TestLab;
  let client: NodeIngestApiClient;

  beforeAll(async () => {
    lab = await createTestLab(harness.services.prisma, "lab-api-client");
    client = new NodeIngestApiClient(harness.baseUrl, lab.key);
  });

  it("registers a specimen once, uploads files from disk, follows its events to completion and reads its report", async () => {
    const specimen = await client.ensureSpecimen("CLIENT-1");
    expect(await client.ensureSpecimen("CLIENT-1")).toMatchObject({ id: specimen.id });
    const files = ariaImages("early_pre_b", 2, 30);
    const uploaded = await client.uploadImages(specimen.id, files);
    expect(uploaded.accepted).toHaveLength(2);

    const progress: SpecimenProgress[] = [];
    const images: ImageChange[] = [];
    const following = client.followSpecimen(specimen.id, {
      onProgress: (next) => progress.push(next),
      onImage: (change) => images.push(change),
    });
    await expect.poll(() => progress.length).toBe(1);
    await classifySpecimen(harness.services, specimen.id, "early_pre_b");
    expect(await following).toMatchObject({ status: "COMPLETED", images: { total: 2, CLASSIFIED: 2 } });
    expect(images.map((change) => change.status)).toEqual(["CLASSIFIED", "CLASSIFIED"]);

    const report = await client.report(specimen.id);
    expect(report.images.map((image) => image.status)).toEqual(["CLASSIFIED", "CLASSIFIED"]);
  });

  it("follows every specimen of the lab, and only the lab's, over one stream that is ready before the list is read", async () => {
    const controller = new AbortController();
    const seen: LabSpecimenProgress[] = [];
    let ready = 0;
    const following = client
      .followLab({ onReady: () => (ready += 1), onProgress: (progress) => seen.push(progress) }, controller.signal)
      .catch(() => undefined);
    await expect.poll(() => ready).toBe(1);

    const other = await createTestLab(harness.services.prisma, "lab-api-client-other");
    const stranger = await new NodeIngestApiClient(harness.baseUrl, other.key).ensureSpecimen("OTHER-1");
    await new NodeIngestApiClient(harness.baseUrl, other.key).uploadImages(stranger.id, ariaImages("benign", 1, 40));
    const ids: string[] = [];
    for (const [accession, offset] of [
      ["LAB-1", 41],
      ["LAB-2", 42],
    ] as const) {
      const specimen = await client.ensureSpecimen(accession);
      await client.uploadImages(specimen.id, ariaImages("benign", 1, offset));
      ids.push(specimen.id);
    }
    for (const id of [stranger.id, ...ids]) await classifySpecimen(harness.services, id, "benign");

    const completed = () => seen.filter((progress) => progress.status === "COMPLETED").map((p) => p.specimenId);
    await expect.poll(() => completed().sort()).toEqual([...ids].sort());
    expect(seen.map((progress) => progress.specimenId)).not.toContain(stranger.id);
    controller.abort();
    await following;
  });

  it("throws the API's problem as an IngestApiError", async () => {
    const missing = client.report("00000000-0000-4000-8000-000000000000");
    await expect(missing).rejects.toBeInstanceOf(IngestApiError);
    await expect(missing).rejects.toMatchObject({ status: 404, type: "not-found" });
    const stranger = new NodeIngestApiClient(harness.baseUrl, "lf_not-a-key");
    await expect(stranger.listSpecimens()).rejects.toMatchObject({ status: 401 });
  });
});
