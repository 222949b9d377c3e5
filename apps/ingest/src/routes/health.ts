import { checkReadiness, dependencyProbes } from "@leukoflow/observability";
import type { FastifyInstance } from "fastify";
import type { IngestDeps } from "../server.js";

export async function healthRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  app.get("/health/live", async () => ({ status: "ok" }));

  /** Ready only when every dependency an upload needs answers, each within the probe timeout. */
  app.get("/health/ready", async (_request, reply) => {
    const { ready, checks } = await checkReadiness(dependencyProbes(deps));
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not-ready", ...checks });
  });
}
