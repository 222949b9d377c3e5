import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { EmbeddedPostgres } from "./embedded-postgres.js";
import type { PostgresCluster } from "./postgres-cluster.js";
import { stateFiles } from "./state-files.js";

/** The services that `stack up` had to start, so `stack down` stops those and no others. */
export interface StartedServices {
  redis?: boolean;
  postgresCluster?: PostgresCluster;
  embeddedPostgres?: EmbeddedPostgres;
}

export function readStartedServices(stateDir: string): StartedServices {
  const file = stateFiles(stateDir).started;
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as StartedServices) : {};
}

export function recordStartedServices(stateDir: string, update: StartedServices): void {
  const file = stateFiles(stateDir).started;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...readStartedServices(stateDir), ...update }, null, 2)}\n`);
}
