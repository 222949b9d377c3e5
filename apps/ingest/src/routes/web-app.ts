import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import { webAppDir } from "@leukoflow/web";
import type { FastifyInstance } from "fastify";
import type { IngestDeps } from "../server.js";

/** The review workstation (apps/web) at /app/, on the API's origin so it needs no CORS. */
export async function webAppRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  if (!existsSync(webAppDir)) {
    deps.logger.warn({ webAppDir }, "web app not built: /app/ is not served");
    return;
  }
  await app.register(fastifyStatic, { root: webAppDir, prefix: "/app/" });
  app.get("/", { schema: { hide: true } }, (_request, reply) => reply.redirect("/app/"));
}
