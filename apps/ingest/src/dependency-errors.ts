/** Node's codes for a peer that cannot be reached or went away. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
/** Prisma's codes for a database it cannot reach, or whose pool gave no connection in time. */
const PRISMA_UNREACHABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** pg's and ioredis's words for a peer that is gone, including ioredis's fail-fast request connection. */
const UNREACHABLE_MESSAGE =
  /Connection terminated|Connection closed|connect ECONNREFUSED|Connection is closed|timeout exceeded when trying to connect|Stream isn't writeable|Command timed out|Reached the max retries per request limit/i;

/**
 * True when an error, or any error in its cause chain, says a dependency (Postgres, Redis, object
 * storage) could not be reached: a condition to answer 503 for, since the same request will work
 * once it is back.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  for (
    let current = error, depth = 0;
    current instanceof Object && depth < 8;
    current = (current as { cause?: unknown }).cause, depth++
  ) {
    const { code, name, message, $metadata } = current as {
      code?: unknown;
      name?: string;
      message?: string;
      $metadata?: { httpStatusCode?: number };
    };
    if (typeof code === "string" && (NETWORK_CODES.has(code) || PRISMA_UNREACHABLE.has(code))) return true;
    if (name === "PrismaClientInitializationError" || name === "TimeoutError") return true;
    if (($metadata?.httpStatusCode ?? 0) >= 500) return true;
    if (typeof message === "string" && UNREACHABLE_MESSAGE.test(message)) return true;
  }
  return false;
}
