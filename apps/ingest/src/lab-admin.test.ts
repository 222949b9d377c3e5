import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestLab, useIngestServer, type TestLab } from "../test/ingest-harness.js";

interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  scopes: string[];
}

describe("API keys", () => {
  const harness = useIngestServer();
  const { services, json, call } = harness;
  let admin: TestLab;

  beforeAll(async () => {
    admin = await createTestLab(services.prisma, "lab-admin", ["ADMIN"]);
  });

  const createKey = async (name: string, scopes: string[]) => {
    const response = await json(admin.key, "POST", "/v1/api-keys", { name, scopes });
    expect(response.status).toBe(201);
    return (await response.json()) as CreatedKey;
  };

  it("creates scoped keys stored only as a hash, and enforces their scopes", async () => {
    const reader = await createKey("dashboard", ["READ"]);
    const writer = await createKey("bench-3", ["READ", "WRITE"]);
    const row = await services.prisma.apiKey.findUniqueOrThrow({ where: { id: reader.id } });
    expect(row.secretHash).toBe(createHash("sha256").update(reader.key).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(reader.key);
    expect(reader.key.startsWith(`lf_${reader.prefix}_`)).toBe(true);
    const created = await services.prisma.auditEvent.findFirstOrThrow({
      where: { action: "api_key.created", entityId: reader.id },
    });
    expect(created).toMatchObject({
      actor: admin.apiKey.id,
      entityType: "api_key",
      details: { name: "dashboard", prefix: reader.prefix, scopes: ["READ"] },
    });

    expect((await call(reader.key, "GET", "/v1/specimens")).status).toBe(200);
    const refused = await json(reader.key, "POST", "/v1/specimens", { accession: "READ-ONLY" });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { type: string }).type).toMatch(/\/forbidden$/);
    expect((await json(writer.key, "POST", "/v1/specimens", { accession: "WRITE-1" })).status).toBe(201);
    expect((await call(writer.key, "GET", "/v1/api-keys")).status).toBe(403);
    expect((await json(writer.key, "POST", "/v1/api-keys", { name: "escalate", scopes: ["ADMIN"] })).status).toBe(403);

    const listed = (await (await call(admin.key, "GET", "/v1/api-keys")).json()) as {
      items: Record<string, unknown>[];
    };
    expect(listed.items.map((item) => item.name)).toEqual(["test", "dashboard", "bench-3"]);
    expect(listed.items.every((item) => !("key" in item) && !("secretHash" in item))).toBe(true);
  });

  it("revokes a key, which is refused from then on", async () => {
    const temporary = await createKey("temporary", ["READ"]);
    expect((await call(temporary.key, "GET", "/v1/specimens")).status).toBe(200);
    expect((await call(admin.key, "DELETE", `/v1/api-keys/${temporary.id}`)).status).toBe(204);
    expect((await call(temporary.key, "GET", "/v1/specimens")).status).toBe(401);
    expect((await call(admin.key, "DELETE", `/v1/api-keys/${temporary.id}`)).status).toBe(404);
    const audit = await services.prisma.auditEvent.findMany({
      where: { entityId: temporary.id },
      orderBy: { id: "asc" },
    });
    expect(audit.map((event) => event.action)).toEqual(["api_key.created", "api_key.revoked"]);
  });
});
