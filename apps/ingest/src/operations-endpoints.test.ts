import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { ariaImages } from "../../../test/support/datasets.js";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";
import { QUEUE_NAMES } from "@leukoflow/contracts";

const OPERATOR_TOKEN = "operator-token-for-the-operations-test-0123456789";

/** Metrics and queue administration belong to the operator: served on the operator server, never on the lab-facing API. */
describe("ingest operations endpoints", () => {
  const harness = useIngestServer({ OPERATOR_TOKEN });
  const { services, call, createSpecimen, upload } = harness;
  let admin: TestLab;
  let writer: TestLab;
  let operatorUrl: string;

  beforeAll(async () => {
    admin = await createTestLab(services.prisma, "ops-admin", ["ADMIN"]);
    writer = await createTestLab(services.prisma, "ops-writer", ["READ", "WRITE"]);
    operatorUrl = await harness.app.operator.listen({ host: "127.0.0.1", port: 0 });
  });

  const get = (route: string, headers: Record<string, string> = {}) => fetch(`${harness.baseUrl}${route}`, { headers });
  const operator = (route: string, headers: Record<string, string> = {}) =>
    fetch(`${operatorUrl}${route}`, { headers });
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`admin:${key}`).toString("base64")}` });
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  it("serves Prometheus metrics with the depth of every queue and the images per status", async () => {
    const specimen = await createSpecimen(writer.key, "OPS-1");
    const files = ariaImages("benign", 2).map((file, i) => ({ name: `cell-${i}.jpg`, bytes: readFileSync(file) }));
    expect((await upload(writer.key, specimen.id, files)).status).toBe(201);

    expect((await get("/metrics")).status).toBe(404);
    const response = await operator("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain('leukoflow_queue_jobs{queue="preprocess",state="waiting",process="ingest"} 2');
    for (const queue of ["inference", "webhooks"]) {
      expect(text).toContain(`leukoflow_queue_jobs{queue="${queue}",state="waiting",process="ingest"} 0`);
    }
    expect(text).toContain('leukoflow_images{status="RECEIVED",process="ingest"} 2');
    expect(text).toContain('leukoflow_images{status="CLASSIFIED",process="ingest"} 0');
    expect(text).toMatch(
      /leukoflow_http_responses_total\{method="POST",route="\/v1\/specimens\/:specimenId\/images",status="201",process="ingest"\} 1/,
    );
  });

  it("is live, and ready while Postgres, Redis and object storage answer, on both servers", async () => {
    for (const probe of [get, operator]) {
      expect((await probe("/health/live")).status).toBe(200);
      const ready = await probe("/health/ready");
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: "ready", database: "ok", redis: "ok", storage: "ok" });
    }
  });

  it("serves Bull Board to the operator credential only, on the operator server; no lab key of any scope reaches it", async () => {
    for (const headers of [{}, basic(admin.key), bearer(admin.key), basic(writer.key)]) {
      expect((await get("/admin/queues", headers)).status).toBe(404);
      expect((await get("/admin/queues/api/queues", headers)).status).toBe(404);
    }
    const anonymous = await operator("/admin/queues");
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Basic /);
    for (const key of [admin.key, writer.key, "lf_not_a_key", OPERATOR_TOKEN.slice(0, -1)]) {
      expect((await operator("/admin/queues", basic(key))).status).toBe(403);
      expect((await operator("/admin/queues/api/queues", bearer(key))).status).toBe(403);
      expect((await operator("/admin/queues/api/queues/preprocess/pause", bearer(key))).status).toBe(403);
    }

    const page = await operator("/admin/queues", basic(OPERATOR_TOKEN));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    const api = await operator("/admin/queues/api/queues", bearer(OPERATOR_TOKEN));
    expect(api.status).toBe(200);
    const { queues } = (await api.json()) as { queues: { name: string }[] };
    expect(queues.map((queue) => queue.name).sort()).toEqual([...QUEUE_NAMES].sort());
    expect((await call(admin.key, "GET", "/admin/queues/api/queues")).status).toBe(404);
  });

  it("serves the API docs with a Content-Security-Policy", async () => {
    const page = await get("/docs/");
    expect(page.status).toBe(200);
    const policy = page.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/default-src 'self'/);
    expect(policy).toMatch(/script-src 'self'/);
    expect(policy).toMatch(/frame-ancestors 'none'/);
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });
});
