import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import {
  classifySpecimen,
  createTestLab,
  useIngestServer,
  type TestLab,
} from "../../../apps/ingest/test/ingest-harness.js";
import type { ImageChange, SpecimenProgress } from "@leukoflow/contracts";
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

  it("throws the API's problem as an IngestApiError", async () => {
    const missing = client.report("00000000-0000-4000-8000-000000000000");
    await expect(missing).rejects.toBeInstanceOf(IngestApiError);
    await expect(missing).rejects.toMatchObject({ status: 404, type: "not-found" });
    const stranger = new NodeIngestApiClient(harness.baseUrl, "lf_not-a-key");
    await expect(stranger.listSpecimens()).rejects.toMatchObject({ status: 401 });
  });
});
