import type { FastifyInstance } from "fastify";
import type { IngestDeps } from "../server.js";

export async function healthRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  app.get("/health/live", async () => ({ status: "ok" }));

  /** Ready only when every dependency an upload needs answers. */
  app.get("/health/ready", async (_request, reply) => {
    const checks = await Promise.allSettled([
      deps.prisma.$queryRaw`SELECT 1`,
      deps.redis.ping(),
      deps.objectStore.head("health-probe"),
    ]);
    const [database, redis, storage] = checks.map((check) => (check.status === "fulfilled" ? "ok" : "down"));
    const ready = checks.every((check) => check.status === "fulfilled");
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not-ready", database, redis, storage });
  });
}
