import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
// The built package, as other packages use it: stackUp starts dist/s3-server-process.js.
import { loadStackEnv, stackDown, stackStatus, stackUp } from "@leukoflow/stack";
import { adminQuery } from "../../../test/support/admin-query.js";
import { freePort } from "./free-port.js";

async function answers(endpoint: string): Promise<boolean> {
  return fetch(endpoint).then(
    () => true,
    () => false,
  );
}
describe("stackUp / stackDown on a host without Docker", () => {
  const services = inject("services");
  const stateDir = mkdtempSync(path.join(tmpdir(), "leukoflow-stack-test-"));
  const database = `leukoflow_stack_${randomBytes(4).toString("hex")}`;
  const s3PidFile = path.join(stateDir, "s3rver.pid");
  let env: NodeJS.ProcessEnv;

  afterAll(async () => {
    await stackDown({ stateDir });
    await adminQuery(services.postgresServerUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("reuses the running Redis and Postgres, creates the database, starts s3rver and records the environment", async () => {
    const port = await freePort();
    env = {
      DATABASE_URL: new URL(database, services.postgresServerUrl).toString(),
      REDIS_URL: services.redisUrl,
      S3_PORT: String(port),
    };

    const stackEnv = await stackUp({ stateDir, env });

    expect(stackEnv).toMatchObject({
      DATABASE_URL: env.DATABASE_URL,
      REDIS_URL: env.REDIS_URL,
      S3_ENDPOINT: `http://127.0.0.1:${port}`,
      S3_BUCKET: "leukoflow",
    });
    expect(await answers(stackEnv.S3_ENDPOINT)).toBe(true);
    expect(loadStackEnv(stateDir)).toEqual(stackEnv);
    const client = new pg.Client({ connectionString: stackEnv.DATABASE_URL });
    await client.connect();
    await client.end();
  });

  it("is idempotent: a second stackUp keeps the same s3rver and environment", async () => {
    const pidBefore = readFileSync(s3PidFile, "utf8");

    const stackEnv = await stackUp({ stateDir, env });

    expect(readFileSync(s3PidFile, "utf8")).toBe(pidBefore);
    expect(loadStackEnv(stateDir)).toEqual(stackEnv);
  });

  it("reports s3 as started by the stack and the reused services as found", async () => {
    const status = await stackStatus({ stateDir, env });

    expect(status.map(({ service, answering, startedByStack }) => ({ service, answering, startedByStack }))).toEqual([
      { service: "postgres", answering: true, startedByStack: false },
      { service: "redis", answering: true, startedByStack: false },
      { service: "s3", answering: true, startedByStack: true },
    ]);
  });

  it("stackDown stops s3rver only, and forgets the environment", async () => {
    const endpoint = loadStackEnv(stateDir)!.S3_ENDPOINT!;

    expect(await stackDown({ stateDir })).toEqual(["s3"]);

    expect(await answers(endpoint)).toBe(false);
    expect(loadStackEnv(stateDir)).toBeNull();
    expect(await stackStatus({ stateDir, env })).toContainEqual(
      expect.objectContaining({ service: "redis", answering: true }),
    );
  });
});

describe("stackUp where no PostgreSQL answers and DATABASE_URL is not set", () => {
  const services = inject("services");
  const stateDir = mkdtempSync(path.join(tmpdir(), "leukoflow-embedded-test-"));
  chmodSync(stateDir, 0o755); // run as root, the embedded server runs as postgres and must reach its folder
  let env: NodeJS.ProcessEnv;

  afterAll(async () => {
    await stackDown({ stateDir });
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("runs the embedded PostgreSQL with its data in the state directory, says so, and stops it on stack down", async () => {
    const port = await freePort();
    env = { POSTGRES_PORT: String(port), REDIS_URL: services.redisUrl, S3_PORT: String(await freePort()) };

    const stackEnv = await stackUp({ stateDir, env });

    expect(stackEnv.DATABASE_URL).toBe(`postgresql://postgres@127.0.0.1:${port}/leukoflow`);
    const client = new pg.Client({ connectionString: stackEnv.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>(
      "SELECT current_setting('data_directory') AS data_directory",
    );
    await client.end();
    expect(rows[0]!.data_directory).toBe(path.join(stateDir, "postgres", "data"));
    const postgres = (await stackStatus({ stateDir, env })).find((status) => status.service === "postgres");
    expect(postgres).toMatchObject({
      answering: true,
      startedByStack: true,
      startedAs: expect.stringContaining("embedded PostgreSQL"),
    });

    expect(await stackDown({ stateDir })).toEqual(["s3", "postgres"]);
    const probe = new pg.Client({ connectionString: stackEnv.DATABASE_URL, connectionTimeoutMillis: 2_000 });
    await expect(probe.connect()).rejects.toThrow();
  });
});
