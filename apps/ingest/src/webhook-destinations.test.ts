import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";
import { deliverSpecimenWebhook } from "./webhooks/deliver-specimen-webhook.js";
import { allowedWebhookHosts, pinnedWebhookLookup } from "./webhooks/webhook-destination.js";

const INTERNAL_URLS = [
  "http://169.254.169.254/latest/meta-data",
  "http://127.0.0.1:6379/",
  "http://localhost:5432/",
  "http://LOCALHOST./",
  "http://[::1]/",
  "http://0x7f000001/",
  "http://2130706433/",
  "http://127.1/",
  "http://0177.0.0.1/",
  "http://[::ffff:127.0.0.1]/",
  "http://[::ffff:169.254.169.254]/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://10.0.0.8/",
  "http://172.16.5.4/",
  "http://192.168.1.1/",
  "http://100.64.0.1/",
  "http://[fd00::1]/",
  "http://[fe80::1]/",
  "http://0.0.0.0/",
  "http://redis:6379/",
  "http://ingest.svc.cluster.local/",
];

/** Webhooks never reach inside: refused when registered, and again when delivered, after DNS resolution. */
describe("webhook destinations", () => {
  const harness = useIngestServer();
  const { services, json } = harness;
  let lab: TestLab;
  let receiver: Server;
  let redirected: Server;
  let redirectedHits = 0;
  let receiverHits = 0;

  beforeAll(async () => {
    lab = await createTestLab(services.prisma, "lab-ssrf", ["READ", "WRITE", "ADMIN"]);
    redirected = createServer((_request, response) => {
      redirectedHits += 1;
      response.end();
    });
    await new Promise<void>((resolve) => redirected.listen(0, "127.0.0.1", resolve));
    receiver = createServer((_request, response) => {
      receiverHits += 1;
      response.writeHead(302, { location: `http://127.0.0.1:${(redirected.address() as AddressInfo).port}/` }).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await new Promise((resolve) => redirected?.close(resolve));
  });

  it("refuses loopback, link-local, private, unique-local, metadata and internal names at registration, however spelled", async () => {
    for (const url of INTERNAL_URLS) {
      const response = await json(lab.key, "PUT", "/v1/webhook", { url });
      expect(response.status, url).toBe(422);
      expect(((await response.json()) as { type: string }).type, url).toMatch(/\/webhook-destination-refused$/);
    }
    expect((await services.prisma.lab.findUniqueOrThrow({ where: { id: lab.lab.id } })).webhookUrl).toBeNull();
    expect((await json(lab.key, "PUT", "/v1/webhook", { url: "https://hooks.lab.example/leukoflow" })).status).toBe(
      200,
    );
  });

  it("refuses at delivery a destination registered before the rule, or a name that resolves inside", async () => {
    const specimen = await harness.createSpecimen(lab.key, "SSRF-1");
    const port = (receiver.address() as AddressInfo).port;
    const deliver = async (webhookUrl: string, allowed: string[] = []) => {
      await services.prisma.lab.update({
        where: { id: lab.lab.id },
        data: { webhookUrl, webhookSecret: "whsec_c2VjcmV0" },
      });
      const payload = { v: 1 as const, specimenId: specimen.id, completedAt: new Date().toISOString() };
      return deliverSpecimenWebhook(
        { db: services.db, timeoutMs: 5_000, allowedHosts: allowedWebhookHosts(allowed) },
        payload,
        "delivery-1",
      );
    };
    for (const url of [
      `http://127.0.0.1:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://localhost:${port}/`,
    ]) {
      await expect(deliver(url), url).rejects.toThrow(/refused/);
    }
    expect(receiverHits).toBe(0);

    // The address a name resolves to is checked, not the name: localhost resolves to loopback.
    const lookup = pinnedWebhookLookup(allowedWebhookHosts([]));
    await expect(
      new Promise((resolve, reject) =>
        lookup("localhost", {}, (error, address) => (error ? reject(error) : resolve(address))),
      ),
    ).rejects.toThrow(/resolves to 127\.0\.0\.1/);
  });

  it("delivers to a host the operator allows, to the address it resolved, and follows no redirect", async () => {
    const specimen = await harness.createSpecimen(lab.key, "SSRF-2");
    const port = (receiver.address() as AddressInfo).port;
    await services.prisma.lab.update({
      where: { id: lab.lab.id },
      data: { webhookUrl: `http://localhost:${port}/hook`, webhookSecret: "whsec_c2VjcmV0" },
    });
    const payload = { v: 1 as const, specimenId: specimen.id, completedAt: new Date().toISOString() };
    const deps = { db: services.db, timeoutMs: 5_000, allowedHosts: allowedWebhookHosts(["localhost"]) };
    await expect(deliverSpecimenWebhook(deps, payload, "delivery-2")).rejects.toThrow(/answered 302/);
    expect(receiverHits).toBe(1);
    expect(redirectedHits).toBe(0);
  });
});
