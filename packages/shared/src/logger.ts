import { pino, type Logger } from "pino";

export type { Logger };

/** Paths that could carry secrets or image bytes; they never reach the logs. */
const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers['x-api-key']",
  "*.secret",
  "*.password",
  "*.apiKey",
  "*.bytes",
  "*.buffer",
];

export function createLogger(name: string, level: string = "info"): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } });
}
