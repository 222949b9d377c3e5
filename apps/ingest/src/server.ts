import multipart from "@fastify/multipart";
import {
  SpecimenChangePublisher,
  type Database,
  type LeukoflowQueue,
  type Logger,
  type ObjectStore,
} from "@leukoflow/shared";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Redis } from "ioredis";
import { authenticate } from "./auth.js";
import type { IngestEnv } from "./env.js";
import { isDependencyUnavailable } from "./dependency-errors.js";
import { refuseUnstorableInput } from "./input-guard.js";
import { registerOpenApi } from "./openapi.js";
import { buildOperatorServer } from "./operator-server.js";
import { HttpProblem, sendProblem } from "./problem.js";
import { registerRateLimit, type RateLimitSettings } from "./rate-limit.js";
import { requestLogger } from "./request-log.js";
import { directUploadRoutes } from "./routes/direct-uploads.js";
import { healthRoutes } from "./routes/health.js";
import { imageContentRoutes } from "./routes/image-content.js";
import { imageReviewRoutes } from "./routes/image-reviews.js";
import { imageRoutes } from "./routes/images.js";
import { labAdminRoutes } from "./routes/lab-admin.js";
import { specimenResultRoutes } from "./routes/specimen-results.js";
import { specimenRoutes } from "./routes/specimens.js";
import { webAppRoutes } from "./routes/web-app.js";
import { BacklogGuard } from "./services/backlog-guard.js";
import { DirectUploads } from "./services/direct-uploads.js";
import { ImageIntake } from "./services/image-intake.js";
import { LabAdmin } from "./services/lab-admin.js";
import { Specimens } from "./services/specimens.js";
import { validationProblem } from "./validation.js";
import { allowedWebhookHosts } from "./webhooks/webhook-destination.js";

const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

export interface IngestLimits {
  maxUploadBytes: number;
  maxFilesPerRequest: number;
  maxImagePixels: number;
  maxPreprocessBacklog: number;
  backlogRetryAfterSeconds: number;
  directUploadTtlSeconds: number;
  /** QUEUE_PREFIX: what this deployment's Redis keys and pub/sub channels begin with. */
  redisPrefix: string;
  rateLimit: RateLimitSettings;
  /** Internal hosts a webhook may be registered for. */
  webhookAllowedHosts: ReadonlySet<string>;
  /** The review workstation served at /app/; undefined, it is not served. */
  webAppDir: string | undefined;
  /** The operator's credential for queue administration; none, no board. */
  operatorToken: string | undefined;
  /** Socket idle time, whole-request time and headers time, each closing or answering 408 past it. */
  timeouts: { connectionMs: number; requestMs: number; headersMs: number };
}

export function ingestLimits(env: IngestEnv): IngestLimits {
  return {
    maxUploadBytes: env.MAX_UPLOAD_BYTES,
    maxFilesPerRequest: env.MAX_FILES_PER_REQUEST,
    maxImagePixels: env.MAX_IMAGE_PIXELS,
    maxPreprocessBacklog: env.MAX_PREPROCESS_BACKLOG,
    backlogRetryAfterSeconds: env.BACKLOG_RETRY_AFTER_SECONDS,
    directUploadTtlSeconds: env.DIRECT_UPLOAD_TTL_SECONDS,
    redisPrefix: env.QUEUE_PREFIX,
    rateLimit: {
      maxPerWindow: env.RATE_LIMIT_PER_KEY,
      windowMs: env.RATE_LIMIT_WINDOW_SECONDS * 1000,
      namespace: `${env.QUEUE_PREFIX}:rate-limit:`,
    },
    webhookAllowedHosts: allowedWebhookHosts(env.WEBHOOK_ALLOWED_HOSTS),
    webAppDir: env.WEB_APP_DIR,
    operatorToken: env.OPERATOR_TOKEN,
    timeouts: {
      connectionMs: env.CONNECTION_TIMEOUT_MS,
      requestMs: env.REQUEST_TIMEOUT_MS,
      headersMs: env.HEADERS_TIMEOUT_MS,
    },
  };
}

export interface IngestDepsInput {
  db: Database;
  objectStore: ObjectStore;
  preprocessQueue: LeukoflowQueue<"preprocess">;
  redis: Redis;
  logger: Logger;
  limits: IngestLimits;
}

export interface IngestDeps extends IngestDepsInput {
  labAdmin: LabAdmin;
  specimens: Specimens;
  intake: ImageIntake;
  directUploads: DirectUploads;
  backlog: BacklogGuard;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The operator's server (metrics, health, queue administration), listened on apart from the API; closes with it. */
    operator: FastifyInstance;
  }
}

/** The lab-facing API, with the operator's server as `app.operator`. */
export async function buildServer(input: IngestDepsInput): Promise<FastifyInstance> {
  const { db, limits } = input;
  const intake = new ImageIntake({
    ...input,
    changes: new SpecimenChangePublisher(input.redis, limits.redisPrefix, input.logger),
    maxImagePixels: limits.maxImagePixels,
  });
  const deps: IngestDeps = {
    ...input,
    labAdmin: new LabAdmin(db),
    specimens: new Specimens(db),
    intake,
    directUploads: new DirectUploads({
      ...input,
      intake,
      maxUploadBytes: limits.maxUploadBytes,
      ttlSeconds: limits.directUploadTtlSeconds,
    }),
    backlog: new BacklogGuard(input.preprocessQueue, limits.maxPreprocessBacklog, limits.backlogRetryAfterSeconds),
  };
  const app = Fastify({
    loggerInstance: requestLogger(deps.logger),
    connectionTimeout: limits.timeouts.connectionMs,
    requestTimeout: limits.timeouts.requestMs,
    http: { headersTimeout: limits.timeouts.headersMs },
    // Errors the router raises before any route runs (a malformed percent-escape in the path, say).
    frameworkErrors: (error, request, reply) => {
      void sendProblem(reply, new HttpProblem(400, "bad-request", "Malformed request", error.message), request.url);
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: { fileSize: limits.maxUploadBytes, files: limits.maxFilesPerRequest, fields: 20 },
  });
  await registerOpenApi(app);

  app.decorateRequest("caller");
  // By the route the router matched, not the raw URL: `/%761/specimens` is routed to /v1/specimens too.
  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.url?.startsWith("/v1/")) request.caller = await authenticate(deps.db.labs, request);
  });

  await registerRateLimit(app, deps.redis, limits.rateLimit);
  refuseUnstorableInput(app);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Whatever failed, it failed because the client went away (mid-upload, say): nobody reads the answer.
    if (request.socket.destroyed) {
      request.log.info({ reason: error.message }, "client closed the request before it was answered");
      return sendProblem(
        reply,
        new HttpProblem(400, "client-closed-request", "The client closed the request"),
        request.url,
      );
    }
    if (error instanceof HttpProblem) {
      const retryAfter = error.extensions.retryAfterSeconds;
      if (typeof retryAfter === "number") reply.header("Retry-After", String(retryAfter));
      return sendProblem(reply, error, request.url);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendProblem(reply, validationProblem(error.validationContext, error.validation), request.url);
    }
    if (error.statusCode && error.statusCode < 500) {
      return sendProblem(reply, new HttpProblem(error.statusCode, "bad-request", error.message), request.url);
    }
    if (isDependencyUnavailable(error)) {
      request.log.warn({ err: error }, "a dependency is unavailable");
      reply.header("Retry-After", String(DEPENDENCY_RETRY_AFTER_SECONDS));
      return sendProblem(
        reply,
        new HttpProblem(
          503,
          "dependency-unavailable",
          "Service temporarily unavailable",
          "A storage service did not answer; retry shortly",
        ),
        request.url,
      );
    }
    request.log.error({ err: error }, "request failed");
    return sendProblem(reply, new HttpProblem(500, "internal", "Internal error"), request.url);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new HttpProblem(404, "not-found", "No such route"), request.url),
  );

  app.decorate("operator", await buildOperatorServer(app, deps));
  await healthRoutes(app, deps);
  await specimenRoutes(app, deps);
  await imageRoutes(app, deps);
  await directUploadRoutes(app, deps);
  await specimenResultRoutes(app, deps);
  await labAdminRoutes(app, deps);
  await imageContentRoutes(app, deps);
  await imageReviewRoutes(app, deps);
  await webAppRoutes(app, deps);
  return app;
}
