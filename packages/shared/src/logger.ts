import { pino, type DestinationStream, type Logger } from "pino";

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

/** pino's error serializer without ioredis's `command`: a failed BullMQ call carries its whole Lua script (kilobytes) there. */
function serializeError(error: Error): object {
  const { command: _command, ...rest } = pino.stdSerializers.err(error) as ReturnType<
    typeof pino.stdSerializers.err
  > & { command?: unknown };
  return rest;
}

/** JSON lines to stdout, or to `destination` (tests). */
export function createLogger(name: string, level: string = "info", destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { err: serializeError },
  };
  return destination ? pino(options, destination) : pino(options);
}
