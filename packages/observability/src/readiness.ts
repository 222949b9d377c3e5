import type { Database, ObjectStore } from "@leukoflow/shared";
import { withTimeout } from "./with-timeout.js";

/** Resolves when the dependency answers; rejects or hangs when it does not. */
export type Probe = () => Promise<unknown>;

export interface Readiness {
  ready: boolean;
  checks: Record<string, "ok" | "down">;
}

/** A probe that has not answered by then counts as down: a Redis that is away makes commands wait, not fail. */
const PROBE_TIMEOUT_MS = 2_000;

export async function checkReadiness(probes: Record<string, Probe>, timeoutMs = PROBE_TIMEOUT_MS): Promise<Readiness> {
  const names = Object.keys(probes);
  const results = await Promise.allSettled(names.map((name) => withTimeout(probes[name]!(), timeoutMs)));
  const checks = Object.fromEntries(
    names.map((name, i) => [name, results[i]!.status === "fulfilled" ? "ok" : "down"] as const),
  );
  return { ready: results.every((result) => result.status === "fulfilled"), checks };
}

/** The probes of what every pipeline process needs: Postgres, Redis and object storage. */
export function dependencyProbes(deps: {
  db: Database;
  redis: { ping(): Promise<unknown> };
  objectStore: ObjectStore;
}): Record<string, Probe> {
  return {
    database: () => deps.db.ping(),
    redis: () => deps.redis.ping(),
    storage: () => deps.objectStore.head("health-probe"),
  };
}
