import { existsSync } from "node:fs";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import type { IngestDeps } from "../server.js";

/**
 * The app keeps the lab's API key in sessionStorage, so it may run only its own bundled code:
 * no inline or foreign script, no framing; images come from the API as blob: URLs.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The review workstation (apps/web) at /app/, on the API's origin so it needs no CORS. */
export async function webAppRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const { webAppDir } = deps.limits;
  if (!webAppDir) return;
  if (!existsSync(webAppDir)) {
    deps.logger.warn({ webAppDir }, "web app not built: /app/ is not served");
    return;
  }
  await app.register(fastifyStatic, {
    root: webAppDir,
    prefix: "/app/",
    setHeaders: (reply) => {
      void reply.header("content-security-policy", CONTENT_SECURITY_POLICY).header("x-content-type-options", "nosniff");
    },
  });
  app.get("/", { schema: { hide: true } }, (_request, reply) => reply.redirect("/app/"));
}
