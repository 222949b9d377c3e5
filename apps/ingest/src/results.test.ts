import { readFileSync } from "node:fs";
import path from "node:path";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { Fhir } from "fhir";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { classifySpecimen, createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

/** Reads a text/event-stream to its end. */
async function readEvents(response: Response): Promise<{ event: string | undefined; data: unknown }[]> {
  const events = [];
  for await (const { event, data } of response
    .body!.pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream()))
    events.push({ event, data: JSON.parse(data) as unknown });
  return events;
}

describe("results: report, progress events, FHIR export", () => {
  const harness = useIngestServer({ PROGRESS_POLL_MS: "100" });
  const { services, call } = harness;
  let lab: TestLab;

  const uploadImages = async (accession: string, label: string, count: number, offset: number) => {
    const specimen = await harness.createSpecimen(lab.key, accession);
    const files = ariaImages(label, count, offset).map((file) => ({
      name: path.basename(file),
      bytes: readFileSync(file),
    }));
    expect((await harness.upload(lab.key, specimen.id, files)).status).toBe(201);
    return specimen;
  };

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-results");
  });

  it("streams progress and each image's change as Server-Sent Events until the specimen completes, then ends the stream", async () => {
    const specimen = await uploadImages("SSE-1", "pre_b", 2, 40);
    const stream = await call(lab.key, "GET", `/v1/specimens/${specimen.id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const events = readEvents(stream);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await classifySpecimen(services, specimen.id, "pre_b");

    const all = await events;
    expect(all[0]).toMatchObject({
      event: "progress",
      data: { status: "PROCESSING", images: { total: 2, RECEIVED: 2, CLASSIFIED: 0 } },
    });
    expect(all.filter((event) => event.event === "image").map((event) => event.data)).toEqual([
      expect.objectContaining({ status: "CLASSIFIED" }),
      expect.objectContaining({ status: "CLASSIFIED" }),
    ]);
    expect(all.at(-1)).toMatchObject({
      event: "completed",
      data: { status: "COMPLETED", images: { total: 2, CLASSIFIED: 2 } },
    });
  });

  it("counts each upload on a stream opened before it, a reused classification as classified at once", async () => {
    // Two classes, so two different files (a class's folder holds some byte-identical ones).
    const [known, fresh] = [ariaImages("pro_b", 1, 60)[0]!, ariaImages("benign", 1, 60)[0]!].map((file) => ({
      name: path.basename(file),
      bytes: readFileSync(file),
    }));
    const first = await harness.createSpecimen(lab.key, "SSE-KNOWN");
    expect((await harness.upload(lab.key, first.id, [known!])).status).toBe(201);
    await classifySpecimen(services, first.id, "pro_b");

    const specimen = await harness.createSpecimen(lab.key, "SSE-2");
    const events = readEvents(await call(lab.key, "GET", `/v1/specimens/${specimen.id}/events`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The new file first, so the specimen stays open for the known one's reused classification.
    for (const file of [fresh!, known!]) expect((await harness.upload(lab.key, specimen.id, [file])).status).toBe(201);
    await classifySpecimen(services, specimen.id, "pro_b");

    const all = await events;
    expect(all[0]).toMatchObject({ event: "progress", data: { images: { total: 0 } } });
    expect(
      all.filter((event) => event.event === "image").map((event) => (event.data as { status: string }).status),
    ).toEqual(["RECEIVED", "CLASSIFIED", "CLASSIFIED"]);
    expect(all).toContainEqual(
      expect.objectContaining({
        event: "progress",
        data: expect.objectContaining({ images: expect.objectContaining({ total: 2, RECEIVED: 1 }) }),
      }),
    );
    expect(all.at(-1)).toMatchObject({ event: "completed", data: { images: { total: 2, CLASSIFIED: 2 } } });
  });

  it("exports the report as a FHIR R4 Bundle that validates against the R4 structure definitions", async () => {
    const specimen = await uploadImages("FHIR-1", "pro_b", 3, 50);
    await classifySpecimen(services, specimen.id, "pro_b");

    const report = (await (await call(lab.key, "GET", `/v1/specimens/${specimen.id}`)).json()) as {
      summary: {
        call: string;
        meanMalignantProbability: number;
        thresholds: { image: number; specimen: number };
        malignantClasses: string[];
      };
      images: {
        prediction: {
          model: string;
          malignantClasses: string[];
          probabilities: Record<string, number>;
          malignantProbability: number;
          malignantThreshold: number;
        };
      }[];
    };
    // test-cnn has no operating point: the default thresholds apply.
    expect(report.summary).toMatchObject({
      call: "all_suspected",
      meanMalignantProbability: expect.closeTo(0.97, 10),
      thresholds: { image: 0.5, specimen: 0.5 },
      malignantClasses: ["early_pre_b", "pre_b", "pro_b"],
    });
    expect(report.images[0]!.prediction).toMatchObject({
      model: "test-cnn@1.0.0",
      malignantClasses: ["early_pre_b", "pre_b", "pro_b"],
      probabilities: { pro_b: 0.91 },
      malignantProbability: 0.97,
      malignantThreshold: 0.5,
    });

    const response = await call(lab.key, "GET", `/v1/specimens/${specimen.id}/fhir`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/fhir+json");
    const bundle = (await response.json()) as fhir4.Bundle;
    const validation = new Fhir().validate(bundle, { errorOnUnexpected: true });
    expect(validation.messages.filter((message) => message.severity === "error")).toEqual([]);
    expect(validation.valid).toBe(true);

    const resources = bundle.entry!.map((entry) => entry.resource!);
    expect(resources.map((resource) => resource.resourceType)).toEqual([
      "DiagnosticReport",
      "Observation",
      "Observation",
      "Observation",
      "Device",
    ]);
    const diagnosticReport = resources[0] as fhir4.DiagnosticReport;
    expect(diagnosticReport.result).toHaveLength(3);
    expect(diagnosticReport.conclusionCode![0]!.coding![0]!.code).toBe("all_suspected");
    const observation = resources[1] as fhir4.Observation;
    expect(observation.valueCodeableConcept!.coding![0]!.code).toBe("pro_b");
    const decision = Object.fromEntries(
      observation.component!.map((c) => [c.code.coding![0]!.code, c.valueQuantity!.value]),
    );
    expect(decision).toMatchObject({ pro_b: 0.91, "malignant-probability": 0.97, "malignant-threshold": 0.5 });
    expect(diagnosticReport.conclusion).toContain("mean P(malignant) 0.970 against the specimen threshold 0.500");
    expect(observation.device!.reference).toBe(bundle.entry![4]!.fullUrl);
    expect((resources[4] as fhir4.Device).version![0]!.value).toBe("1.0.0");

    const broken = { ...bundle, entry: [{ ...bundle.entry![0], resource: { ...diagnosticReport, status: "done" } }] };
    expect(new Fhir().validate(broken, { errorOnUnexpected: true }).valid).toBe(false);
  });
});
