import { createPipelineMetrics, exportImageStatusCounts, exportQueueDepth, httpResponsesCounter } from "@leukoflow/observability";
import { createQueue, QUEUE_NAMES } from "@leukoflow/shared";
import type { FastifyInstance } from "fastify";
import type { IngestDeps } from "../server.js";

/**
 * Prometheus /metrics: the depth of every pipeline queue, images per status (ingest is the one
 * process exporting the pipeline-wide gauges) and responses by route and status.
 */
export async function metricsRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const metrics = createPipelineMetrics("ingest");
  const queues = QUEUE_NAMES.map((name) => createQueue(name, deps.redis, deps.preprocessQueue.opts.prefix!));
  exportQueueDepth(metrics, queues);
  exportImageStatusCounts(metrics, deps.prisma);
  const responses = httpResponsesCounter(metrics);
  app.addHook("onResponse", async (request, reply) => {
    responses.inc({ method: request.method, route: request.routeOptions.url ?? "unmatched", status: reply.statusCode });
  });
  app.addHook("onClose", async () => {
    await Promise.all(queues.map((queue) => queue.close()));
  });
  app.get("/metrics", async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
}
