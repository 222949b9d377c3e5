import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requireScope } from "../auth.js";
import { problemResponses } from "../schemas/common.js";
import { ImageParams, Review, ReviewBody, ReviewQueue, ReviewQueueQuery } from "@leukoflow/contracts";
import type { IngestDeps } from "../server.js";
import { recordReview } from "../services/image-review.js";
import { reviewQueue } from "../services/review-queue.js";

export async function imageReviewRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    "/v1/review-queue",
    {
      schema: {
        tags: ["reviews"],
        summary:
          "The lab's unreviewed images, what teaches the next model most first: out of distribution, then disagreeing models, then least confident; with disagreesWith, those a version in shadow labels differently",
        querystring: ReviewQueueQuery,
        response: { ...problemResponses, 200: ReviewQueue },
      },
    },
    async (request) => {
      requireScope(request.caller, "READ");
      return reviewQueue(deps.db, request.caller.labId, request.query);
    },
  );
  api.post(
    "/v1/images/:imageId/review",
    {
      schema: {
        tags: ["reviews"],
        summary:
          "Confirm an image's prediction, or override its label with a reason; recorded as an AuditEvent and shown in the report",
        params: ImageParams,
        body: ReviewBody,
        response: { ...problemResponses, 201: Review },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "WRITE");
      return reply.status(201).send(await recordReview(deps.db, request.caller, request.params.imageId, request.body));
    },
  );
}
