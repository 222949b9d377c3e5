import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Fhir } from "fhir";
import { createLogger, createQueue, type LeukoflowQueue } from "@leukoflow/shared";
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { classifySpecimen, createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";
import { CompletionDispatcher } from "./webhooks/completion-dispatcher.js";
import { startWebhookWorker } from "./webhooks/webhook-worker.js";

interface ServerSentEvent {
  event: string;
  data: { status: string; images: Record<string, number> };
}

/** Reads a text/event-stream to its end. */
async function readEvents(response: Response): Promise<ServerSentEvent[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("event:"))
    .map((block) => {
      const [eventLine, dataLine] = block.split("\n");
      return { event: eventLine!.slice("event: ".length), data: JSON.parse(dataLine!.slice("data: ".length)) };
    });
}

interface ReceivedWebhook {
  headers: IncomingMessage["headers"];
  body: string;
}

describe("results: report, progress events, FHIR export, completion webhook", () => {
  const harness = useIngestServer({ PROGRESS_POLL_MS: "100" });
  const { services, call } = harness;
  let lab: TestLab;
  let receiver: Server;
  const received: ReceivedWebhook[] = [];
  const failedOnce = new Set<string>();

  const uploadImages = async (accession: string, label: string, count: number, offset: number) => {
    const specimen = await harness.createSpecimen(lab.key, accession);
    const files = ariaImages(label, count, offset).map((file) => ({ name: path.basename(file), bytes: readFileSync(file) }));
    expect((await harness.upload(lab.key, specimen.id, files)).status).toBe(201);
    return specimen;
  };

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-results", ["READ", "WRITE", "ADMIN"]);
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        received.push({ headers: request.headers, body });
        // Every delivery's first attempt fails, so each event arrives through a retry.
        const id = String(request.headers["webhook-id"]);
        response.statusCode = failedOnce.has(id) ? 204 : 500;
        failedOnce.add(id);
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("streams progress as Server-Sent Events until the specimen completes, then ends the stream", async () => {
    const specimen = await uploadImages("SSE-1", "pre_b", 2, 40);
    const stream = await call(lab.key, "GET", `/v1/specimens/${specimen.id}/events`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const events = readEvents(stream);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await classifySpecimen(services.prisma, specimen.id, "pre_b");

    const all = await events;
    expect(all[0]).toMatchObject({ event: "progress", data: { status: "PROCESSING", images: { total: 2, RECEIVED: 2, CLASSIFIED: 0 } } });
    expect(all.at(-1)).toMatchObject({ event: "completed", data: { status: "COMPLETED", images: { total: 2, CLASSIFIED: 2 } } });
  });

  it("exports the report as a FHIR R4 Bundle that validates against the R4 structure definitions", async () => {
    const specimen = await uploadImages("FHIR-1", "pro_b", 3, 50);
    await classifySpecimen(services.prisma, specimen.id, "pro_b");

    const report = (await (await call(lab.key, "GET", `/v1/specimens/${specimen.id}`)).json()) as {
      summary: { call: string };
      images: { prediction: { model: string; probabilities: Record<string, number> } }[];
    };
    expect(report.summary.call).toBe("all_suspected");
    expect(report.images[0]!.prediction).toMatchObject({ model: "test-cnn@1.0.0", probabilities: { pro_b: 0.91 } });

    const response = await call(lab.key, "GET", `/v1/specimens/${specimen.id}/fhir`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/fhir+json");
    const bundle = (await response.json()) as fhir4.Bundle;
    const validation = new Fhir().validate(bundle, { errorOnUnexpected: true });
    expect(validation.messages.filter((message) => message.severity === "error")).toEqual([]);
    expect(validation.valid).toBe(true);

    const resources = bundle.entry!.map((entry) => entry.resource!);
    expect(resources.map((resource) => resource.resourceType)).toEqual(["DiagnosticReport", "Observation", "Observation", "Observation", "Device"]);
    const diagnosticReport = resources[0] as fhir4.DiagnosticReport;
    expect(diagnosticReport.result).toHaveLength(3);
    expect(diagnosticReport.conclusionCode![0]!.coding![0]!.code).toBe("all_suspected");
    const observation = resources[1] as fhir4.Observation;
    expect(observation.valueCodeableConcept!.coding![0]!.code).toBe("pro_b");
    expect(observation.device!.reference).toBe(bundle.entry![4]!.fullUrl);
    expect((resources[4] as fhir4.Device).version![0]!.value).toBe("1.0.0");

    const broken = { ...bundle, entry: [{ ...bundle.entry![0], resource: { ...diagnosticReport, status: "done" } }] };
    expect(new Fhir().validate(broken, { errorOnUnexpected: true }).valid).toBe(false);
  });

  it("POSTs a signed specimen.completed event once the specimen completes, retrying a failed delivery", async () => {
    const configured = await harness.json(lab.key, "PUT", "/v1/webhook", { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` });
    expect(configured.status).toBe(200);
    const { secret } = (await configured.json()) as { secret: string };

    const webhookQueue: LeukoflowQueue<"webhooks"> = createQueue("webhooks", harness.redis, services.env.QUEUE_PREFIX!);
    const worker: Worker = startWebhookWorker({
      prisma: services.prisma,
      connection: harness.redis,
      prefix: services.env.QUEUE_PREFIX!,
      concurrency: 1,
      timeoutMs: 5_000,
    });
    const dispatcher = new CompletionDispatcher({ prisma: services.prisma, webhookQueue, logger: createLogger("test", "silent"), pollMs: 100 });
    try {
      const specimen = await uploadImages("HOOK-1", "benign", 2, 60);
      await classifySpecimen(services.prisma, specimen.id, "benign");
      // SSE-1 and FHIR-1 completed earlier in this file, and go out too.
      expect(await dispatcher.dispatchPending()).toBe(3);
      expect(await dispatcher.dispatchPending()).toBe(0);

      const forSpecimen = () => received.filter((delivery) => (JSON.parse(delivery.body) as { data: { id: string } }).data.id === specimen.id);
      await expect.poll(() => forSpecimen().length, { timeout: 10_000, interval: 100 }).toBe(2);
      const [failed, delivered] = forSpecimen();
      expect(delivered!.headers["webhook-id"]).toBe(failed!.headers["webhook-id"]);
      const { body, headers } = delivered!;
      expect(JSON.parse(body)).toMatchObject({ type: "specimen.completed", data: { id: specimen.id, status: "COMPLETED", summary: { call: "benign" } } });
      const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
      const expected = createHmac("sha256", key).update(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`).digest("base64");
      expect(headers["webhook-signature"]).toBe(`v1,${expected}`);
      const forged = createHmac("sha256", key).update(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body} `).digest("base64");
      expect(headers["webhook-signature"]).not.toBe(`v1,${forged}`);
    } finally {
      await worker.close();
      await webhookQueue.close();
    }
  });
});
