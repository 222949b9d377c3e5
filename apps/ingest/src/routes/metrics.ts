import {
  createPipelineMetrics,
  exportImageStatusCounts,
  exportModelDrift,
  exportQueueDepth,
  httpResponsesCounter,
} from "@leukoflow/observability";
import { createQueue } from "@leukoflow/shared";
import type { FastifyInstance } from "fastify";
import type { IngestDeps } from "../server.js";
import { QUEUE_NAMES } from "@leukoflow/contracts";

/**
 * Prometheus /metrics on the operator server: the depth of every pipeline queue, images per status
 * across all labs and each model version's drift per lab (ingest is the one process exporting the
 * pipeline-wide gauges) and the API's responses by route and status.
 */
export async function metricsRoutes(operator: FastifyInstance, api: FastifyInstance, deps: IngestDeps): Promise<void> {
  const metrics = createPipelineMetrics("ingest");
  const queues = QUEUE_NAMES.map((name) => createQueue(name, deps.redis, deps.preprocessQueue.opts.prefix!));
  exportQueueDepth(metrics, queues);
  exportImageStatusCounts(metrics, deps.db);
  exportModelDrift(metrics, deps.db);
  const responses = httpResponsesCounter(metrics);
  api.addHook("onResponse", async (request, reply) => {
    responses.inc({ method: request.method, route: request.routeOptions.url ?? "unmatched", status: reply.statusCode });
  });
  operator.addHook("onClose", async () => {
    await Promise.all(queues.map((queue) => queue.close()));
  });
  operator.get("/metrics", async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
