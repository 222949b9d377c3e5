import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../support/datasets.js";
import { useIsolatedServices } from "../support/isolated-services.js";
import { createTestLab } from "../support/labs.js";
import { Pipeline } from "../support/pipeline.js";
import { waitFor } from "../support/wait-for.js";

const IMAGES = ["benign", "pro_b"].flatMap((label) => ariaImages(label, 2, 300));
/** Longer runs of base64 or hex than any id, hash or URL a log line needs: such a run would be data. */
const ENCODED_RUN = /[A-Za-z0-9+/]{200,}={0,2}|[0-9a-fA-F]{130,}/;

/** A whole run at LOG_LEVEL=debug: the apps' logs carry ids, never secrets or image bytes. */
describe("privacy of the logs", () => {
  const services = useIsolatedServices();
  let pipeline: Pipeline;
  let baseUrl: string;

  beforeAll(async () => {
    pipeline = await Pipeline.start(services, { LOG_LEVEL: "debug" });
    baseUrl = pipeline.baseUrl;
  });

  afterAll(async () => {
    await pipeline?.stop();
  });

  it("logs the run's ids, and neither the API key, the storage secret nor any run of image bytes", async () => {
    const { key, apiKey } = await createTestLab(services.prisma, "log-lab");
    // Keys are lf_<prefix>_<secret>; both parts are base64url and may themselves contain "_".
    const secretPart = key.slice(`lf_${apiKey.prefix}_`.length);
    const headers = { authorization: `Bearer ${key}` };
    const created = await fetch(`${baseUrl}/v1/specimens`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ accession: "LOGS-1", patientRef: "pseudo-log-7" }),
    });
    const specimen = (await created.json()) as { id: string };
    const form = new FormData();
    const images = IMAGES.map((file) => readFileSync(file));
    for (const [i, bytes] of images.entries()) form.append("images", new Blob([bytes]), `img-${i}.jpg`);
    expect(
      (await fetch(`${baseUrl}/v1/specimens/${specimen.id}/images`, { method: "POST", headers, body: form })).status,
    ).toBe(201);
    await waitFor(
      "the specimen to complete",
      async () => {
        const report = (await (await fetch(`${baseUrl}/v1/specimens/${specimen.id}`, { headers })).json()) as {
          status: string;
        };
        return report.status === "COMPLETED" ? report : null;
      },
      120_000,
    );
    await pipeline.stop();

    const logs = Object.values(pipeline.apps)
      .map((app) => app.output)
      .join("\n");
    expect(logs.split("\n").filter((line) => line.includes('"level":20')).length).toBeGreaterThan(0);
    const imageIds = (await services.prisma.image.findMany({ select: { id: true } })).map((image) => image.id);
    expect(imageIds.filter((id) => !logs.includes(id))).toEqual([]);
    expect(logs).toContain(specimen.id);

    for (const secret of [key, secretPart, services.env.S3_SECRET_ACCESS_KEY!, "pseudo-log-7"])
      expect(logs).not.toContain(secret);
    expect(logs.match(ENCODED_RUN)?.[0]).toBeUndefined();
    for (const bytes of images) {
      const sample = bytes.subarray(1_000, 1_048);
      for (const encoded of [sample.toString("base64"), sample.toString("hex"), sample.toString("latin1")])
        expect(logs).not.toContain(encoded);
    }
  }, 180_000);
});
