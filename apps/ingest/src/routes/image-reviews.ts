import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requireScope } from "../auth.js";
import { problemResponses } from "../schemas/common.js";
import { ImageParams, Review, ReviewBody } from "@leukoflow/contracts";
import type { IngestDeps } from "../server.js";
import { recordReview } from "../services/image-review.js";

export async function imageReviewRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/v1/images/:imageId/review",
    {
      schema: {
        tags: ["reviews"],
        summary: "Confirm an image's prediction, or override its label with a reason; recorded as an AuditEvent and shown in the report",
        params: ImageParams,
        body: ReviewBody,
        response: { ...problemResponses, 201: Review },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "WRITE");
      return reply.status(201).send(await recordReview(deps.prisma, request.caller, request.params.imageId, request.body));
    },
  );
}
