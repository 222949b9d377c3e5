import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useIsolatedServices } from "../../../test/support/isolated-services.js";
import { ariaImages } from "../../../test/support/datasets.js";
import { classifySpecimen, createTestLab } from "../test/ingest-harness.js";
import { loadIngestEnv } from "./env.js";
import { startIngest, type RunningIngest } from "./start.js";

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

describe("completion webhooks, delivered by the ingest process", () => {
  const services = useIsolatedServices();
  let ingest: RunningIngest;
  let receiver: Server;
  const deliveries: Delivery[] = [];
  const failedOnce = new Set<string>();

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        deliveries.push({ headers: request.headers, body });
        // Every delivery's first attempt fails, so each event arrives through a BullMQ retry.
        const id = String(request.headers["webhook-id"]);
        response.statusCode = failedOnce.has(id) ? 204 : 500;
        failedOnce.add(id);
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    ingest = await startIngest(
      loadIngestEnv({
        ...services.env,
        HOST: "127.0.0.1",
        PORT: "0",
        PROGRESS_POLL_MS: "100",
        WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
      }),
    );
  });

  afterAll(async () => {
    await ingest?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("POSTs one signed specimen.completed event per completion, retrying a failed delivery", async () => {
    const lab = await createTestLab(services.prisma, "lab-hooks", ["READ", "WRITE", "ADMIN"]);
    const call = (method: string, route: string, body?: unknown) =>
      fetch(`${ingest.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${lab.key}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : null,
      });
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const configured = await call("PUT", "/v1/webhook", { url: hookUrl });
    expect(configured.status).toBe(200);
    const { secret } = (await configured.json()) as { secret: string };
    expect(await (await call("GET", "/v1/webhook")).json()).toEqual({ url: hookUrl });

    const specimen = (await (await call("POST", "/v1/specimens", { accession: "HOOK-1" })).json()) as { id: string };
    const form = new FormData();
    for (const file of ariaImages("benign", 2, 60))
      form.append("images", new Blob([readFileSync(file)]), path.basename(file));
    expect(
      (
        await fetch(`${ingest.url}/v1/specimens/${specimen.id}/images`, {
          method: "POST",
          body: form,
          headers: { authorization: `Bearer ${lab.key}` },
        })
      ).status,
    ).toBe(201);
    await classifySpecimen(services, specimen.id, "benign");

    await expect.poll(() => deliveries.length, { timeout: 15_000, interval: 100 }).toBe(2);
    const [failed, delivered] = deliveries;
    expect(delivered!.headers["webhook-id"]).toBe(failed!.headers["webhook-id"]);
    const { body, headers } = delivered!;
    expect(JSON.parse(body)).toMatchObject({
      type: "specimen.completed",
      data: { id: specimen.id, status: "COMPLETED", summary: { call: "benign" } },
    });
    const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
    const sign = (content: string) =>
      `v1,${createHmac("sha256", key).update(`${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${content}`).digest("base64")}`;
    expect(headers["webhook-signature"]).toBe(sign(body));
    expect(headers["webhook-signature"]).not.toBe(sign(body.replace("benign", "all_suspected")));

    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(deliveries).toHaveLength(2);
    const row = await services.prisma.specimen.findUniqueOrThrow({ where: { id: specimen.id } });
    expect(row.completionNotifiedAt).not.toBeNull();
  });
});
