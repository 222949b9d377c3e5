import { z } from "zod";
import { ConfigError } from "./errors.js";

/** Settings every LeukoFlow process needs; each app extends this with its own (see apps/x/src/env.ts). */
export const CommonEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  /** BullMQ key prefix. Braces make it a Redis Cluster hash tag, so all of a queue's keys share a slot. */
  QUEUE_PREFIX: z.string().min(1).default("{leukoflow}"),
  S3_ENDPOINT: z.url(),
  S3_REGION: z.string().default("us-east-1"),
  S3_BUCKET: z.string().min(3),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
  /**
   * On SIGTERM/SIGINT, how long in-flight jobs may run to completion before they are handed back to
   * their queue. Keep it below the orchestrator's grace period (Kubernetes: terminationGracePeriodSeconds).
   */
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(0).default(25_000),
  /** Tries each image job (preprocess, classify) this process enqueues gets before the image is marked failed. */
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** Wait before a job's first retry; each further retry waits twice as long. */
  JOB_BACKOFF_MS: z.coerce.number().int().min(0).default(1_000),
});
export type CommonEnv = z.infer<typeof CommonEnv>;

/** Parses the environment against a process's schema, or throws one ConfigError listing every problem. */
export function parseEnv<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join(".") || "(environment)";
    return `  ${variable}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid environment:\n${problems.join("\n")}`);
}
