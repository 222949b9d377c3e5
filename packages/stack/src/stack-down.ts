import { rmSync } from "node:fs";
import { stopEmbeddedPostgres } from "./embedded-postgres.js";
import { stopCluster } from "./postgres-cluster.js";
import { stopStartedRedis } from "./redis-service.js";
import { stopStackS3Server } from "./s3-background-server.js";
import { removeStackEnv } from "./stack-env.js";
import type { StackOptions } from "./stack-options.js";
import { readStartedServices } from "./started-services.js";
import { stateFiles } from "./state-files.js";

/** Stops what stack up started (and nothing it found running); returns the services it stopped. */
export async function stackDown(options: Pick<StackOptions, "stateDir">): Promise<string[]> {
  const { stateDir } = options;
  const stopped: string[] = [];
  if (await stopStackS3Server(stateDir)) stopped.push("s3");
  const started = readStartedServices(stateDir);
  if (started.redis && (await stopStartedRedis(stateDir))) stopped.push("redis");
  if (started.postgresCluster) {
    await stopCluster(started.postgresCluster);
    stopped.push("postgres");
  }
  if (started.embeddedPostgres && (await stopEmbeddedPostgres(started.embeddedPostgres))) stopped.push("postgres");
  rmSync(stateFiles(stateDir).started, { force: true });
  removeStackEnv(stateDir);
  return stopped;
}
