import { z } from "zod";

/**
 * Where a worker serves /metrics and its health endpoints (ingest serves them on its API port). Each
 * worker has its own default port so that all of them can run on one host, as `leukoflow demo` does.
 */
export function metricsServerEnv(defaultPort: number) {
  return z.object({
    METRICS_HOST: z.string().default("0.0.0.0"),
    METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(defaultPort),
  });
}
export type MetricsServerEnv = z.infer<ReturnType<typeof metricsServerEnv>>;
