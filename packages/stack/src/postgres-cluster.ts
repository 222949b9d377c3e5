import { runCommand } from "./run-command.js";

/** A PostgreSQL cluster managed by Debian's postgresql-common (pg_lsclusters, pg_ctlcluster). */
export interface PostgresCluster {
  version: string;
  name: string;
}

interface ListedCluster {
  version: number;
  cluster: string;
  port: string;
  logfile?: string;
}

/** The installed cluster configured to listen on `port`; throws a readable error when there is none. */
export async function findClusterOnPort(port: string): Promise<PostgresCluster & { logFile: string }> {
  const clusters = JSON.parse(await runCommand("pg_lsclusters", ["--json"])) as ListedCluster[];
  const found = clusters.find((cluster) => cluster.port === port);
  if (!found) {
    const installed = clusters.map((c) => `${c.version}/${c.cluster} on port ${c.port}`).join(", ") || "none";
    throw new Error(`No PostgreSQL cluster here is configured for port ${port} (installed: ${installed})`);
  }
  return { version: String(found.version), name: found.cluster, logFile: found.logfile ?? "/var/log/postgresql/" };
}

export async function startCluster(cluster: PostgresCluster): Promise<void> {
  await runCommand("pg_ctlcluster", ["--skip-systemctl-redirect", cluster.version, cluster.name, "start"]);
}

export async function stopCluster(cluster: PostgresCluster): Promise<void> {
  try {
    await runCommand("pg_ctlcluster", ["--skip-systemctl-redirect", cluster.version, cluster.name, "stop"]);
  } catch (error) {
    if (!/not running/i.test(String(error))) throw error;
  }
}
