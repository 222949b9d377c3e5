import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { HttpProblem, sendProblem } from "./problem.js";
import { healthRoutes } from "./routes/health.js";
import { metricsRoutes } from "./routes/metrics.js";
import { queueBoardRoutes } from "./routes/queue-board.js";
import type { IngestDeps } from "./server.js";

/**
 * The operator's server, on a port of its own (OPERATOR_PORT) that is not published to labs:
 * Prometheus metrics across all labs, health, and Bull Board over the queues every lab shares
 * (only with OPERATOR_TOKEN set). It closes with the API it counts the responses of.
 */
export async function buildOperatorServer(api: FastifyInstance, deps: IngestDeps): Promise<FastifyInstance> {
  // Typed as Fastify's logger so the instance is the plain FastifyInstance the route helpers take.
  const logger: FastifyBaseLogger = deps.logger;
  const operator = Fastify({ loggerInstance: logger });
  operator.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new HttpProblem(404, "not-found", "No such route"), request.url),
  );
  await healthRoutes(operator, deps);
  await metricsRoutes(operator, api, deps);
  if (deps.limits.operatorToken) await queueBoardRoutes(operator, deps, deps.limits.operatorToken);
  api.addHook("onClose", async () => {
    await operator.close();
  });
  return operator;
}
