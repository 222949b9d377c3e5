import multipart from "@fastify/multipart";
import type { Logger, ObjectStore, PrismaClient } from "@leukoflow/shared";
import type { LeukoflowQueue } from "@leukoflow/shared";
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import { authenticate } from "./auth.js";
import { HttpProblem, sendProblem } from "./problem.js";
import { healthRoutes } from "./routes/health.js";
import { imageRoutes } from "./routes/images.js";
import { specimenRoutes } from "./routes/specimens.js";
import { ImageIntake } from "./services/image-intake.js";

export interface IngestDeps {
  prisma: PrismaClient;
  objectStore: ObjectStore;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  redis: Redis;
  logger: Logger;
  intake: ImageIntake;
  limits: { maxUploadBytes: number; maxFilesPerRequest: number };
}

export type IngestDepsInput = Omit<IngestDeps, "intake">;

export async function buildServer(input: IngestDepsInput): Promise<FastifyInstance> {
  const deps: IngestDeps = { ...input, intake: new ImageIntake(input) };
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger });
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: deps.limits.maxUploadBytes, files: deps.limits.maxFilesPerRequest, fields: 20 },
  });

  app.decorateRequest("caller");
  app.addHook("onRequest", async (request) => {
    if (request.url.startsWith("/v1/")) request.caller = await authenticate(deps.prisma, request);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpProblem) {
      const retryAfter = error.extensions.retryAfterSeconds;
      if (typeof retryAfter === "number") reply.header("Retry-After", String(retryAfter));
      return sendProblem(reply, error, request.url);
    }
    if (error.code === "FST_FILES_LIMIT") {
      return sendProblem(reply, new HttpProblem(413, "too-many-files", "Too many files in one request", error.message), request.url);
    }
    if (error.statusCode && error.statusCode < 500) {
      return sendProblem(reply, new HttpProblem(error.statusCode, "bad-request", error.message), request.url);
    }
    request.log.error({ err: error }, "request failed");
    return sendProblem(reply, new HttpProblem(500, "internal", "Internal error"), request.url);
  });

  await healthRoutes(app, deps);
  await specimenRoutes(app, deps);
  await imageRoutes(app, deps);
  return app;
}
