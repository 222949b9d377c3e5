import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadIngestEnv, startIngest, type RunningIngest } from "@leukoflow/ingest";
import { useIsolatedServices } from "../support/isolated-services.js";
import { createTestLab } from "../support/labs.js";
import { TcpProxy } from "../support/tcp-proxy.js";

/** While Postgres is unreachable, ingest answers 503 problem+json with Retry-After, never 500, and recovers. */
describe("ingest while Postgres is unreachable", () => {
  const services = useIsolatedServices();
  let proxy: TcpProxy;
  let ingest: RunningIngest;
  let key: string;

  beforeAll(async () => {
    const database = new URL(services.env.DATABASE_URL!);
    proxy = new TcpProxy(database.hostname, Number(database.port || 5432));
    database.hostname = "127.0.0.1";
    database.port = String(await proxy.start());
    ingest = await startIngest(loadIngestEnv({ ...services.env, DATABASE_URL: database.toString(), HOST: "127.0.0.1", PORT: "0" }));
    ({ key } = await createTestLab(services.prisma, "outage-lab"));
  });

  afterAll(async () => {
    await ingest?.close();
    await proxy?.close();
  });

  const listSpecimens = () => fetch(`${ingest.url}/v1/specimens`, { headers: { authorization: `Bearer ${key}` } });

  it("answers 503 with Retry-After during the outage and 200 once Postgres is back", async () => {
    expect((await listSpecimens()).status).toBe(200);
    proxy.disconnect();
    for (let i = 0; i < 3; i++) {
      const response = await listSpecimens();
      const body = (await response.json()) as { type: string };
      expect({ status: response.status, type: body.type }).toEqual({ status: 503, type: "https://leukoflow.dev/problems/dependency-unavailable" });
      expect(response.headers.get("content-type")).toContain("application/problem+json");
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    proxy.reconnect();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await listSpecimens()).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
  });
});
