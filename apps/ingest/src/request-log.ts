import type { Logger } from "@leukoflow/shared";
import type { FastifyBaseLogger, FastifyRequest } from "fastify";

/** Query parameters a client may put a credential in (`?api_key=`, `?access_token=`…); the API refuses them there, and never logs them. */
const SECRET_PARAMETER = /([?&](?:api[_-]?key|key|access[_-]?token|token|secret|password)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMETER, "$1[redacted]");
}

/** The logger Fastify's request logs go through: Fastify's request fields, with the URL's secrets redacted. */
export function requestLogger(logger: Logger): FastifyBaseLogger {
  const req = (request: FastifyRequest) => ({
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  });
  return logger.child({}, { serializers: { req } });
}
