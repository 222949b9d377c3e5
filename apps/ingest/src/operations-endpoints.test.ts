import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

describe("ingest operations endpoints", () => {
  const harness = useIngestServer();
  const { services, call, createSpecimen, upload } = harness;
  let admin: TestLab;
  let writer: TestLab;

  beforeAll(async () => {
    admin = await createTestLab(services.prisma, "ops-admin", ["ADMIN"]);
    writer = await createTestLab(services.prisma, "ops-writer", ["READ", "WRITE"]);
  });

  const get = (route: string, headers: Record<string, string> = {}) => fetch(`${harness.baseUrl}${route}`, { headers });
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`admin:${key}`).toString("base64")}` });

  it("serves Prometheus metrics with the depth of every queue and the images per status", async () => {
    const specimen = await createSpecimen(writer.key, "OPS-1");
    const files = ariaImages("benign", 2).map((file, i) => ({ name: `cell-${i}.jpg`, bytes: readFileSync(file) }));
    expect((await upload(writer.key, specimen.id, files)).status).toBe(201);

    const response = await get("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain('leukoflow_queue_jobs{queue="preprocess",state="waiting",process="ingest"} 2');
    for (const queue of ["inference", "webhooks"]) {
      expect(text).toContain(`leukoflow_queue_jobs{queue="${queue}",state="waiting",process="ingest"} 0`);
    }
    expect(text).toContain('leukoflow_images{status="RECEIVED",process="ingest"} 2');
    expect(text).toContain('leukoflow_images{status="CLASSIFIED",process="ingest"} 0');
    expect(text).toMatch(/leukoflow_http_responses_total\{method="POST",route="\/v1\/specimens\/:specimenId\/images",status="201",process="ingest"\} 1/);
  });

  it("is live, and ready while Postgres, Redis and object storage answer", async () => {
    expect((await get("/health/live")).status).toBe(200);
    const ready = await get("/health/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: "ok", redis: "ok", storage: "ok" });
  });

  it("keeps Bull Board behind an ADMIN API key, taken as a Basic password or a Bearer token", async () => {
    const anonymous = await get("/admin/queues");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect((await get("/admin/queues", basic("lf_not_a_key"))).status).toBe(401);
    expect((await get("/admin/queues", basic(writer.key))).status).toBe(403);
    expect((await call(writer.key, "GET", "/admin/queues/api/queues")).status).toBe(403);

    const page = await get("/admin/queues", basic(admin.key));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    const api = await call(admin.key, "GET", "/admin/queues/api/queues");
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: { name: string }[] };
    expect(queues.map((queue) => queue.name).sort()).toEqual(["inference", "preprocess", "webhooks"]);
  });
});
