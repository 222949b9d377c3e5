import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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
    env = { DATABASE_URL: new URL(database, services.postgresServerUrl).toString(), REDIS_URL: services.redisUrl, S3_PORT: String(port) };

    const stackEnv = await stackUp({ stateDir, env });

    expect(stackEnv).toMatchObject({ DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL, S3_ENDPOINT: `http://127.0.0.1:${port}`, S3_BUCKET: "leukoflow" });
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
    expect(await stackStatus({ stateDir, env })).toContainEqual(expect.objectContaining({ service: "redis", answering: true }));
  });
});
