import { CONTENT_TYPES, type ImageFormat } from "@leukoflow/shared";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireScope } from "../auth.js";
import { problems } from "../problem.js";
import { problemResponses } from "../schemas/common.js";
import type { IngestDeps } from "../server.js";

const ImageContentParams = z.object({
  imageId: z.uuid(),
  variant: z.enum(["original", "preprocessed", "gradcam"]).describe("the uploaded bytes, the model-ready PNG, or the Grad-CAM overlay PNG"),
});

export async function imageContentRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/v1/images/:imageId/:variant",
    {
      schema: {
        tags: ["images"],
        summary: "Stream one of the lab's images from storage: original, preprocessed or gradcam (404 until it exists)",
        params: ImageContentParams,
        produces: ["image/png", "image/jpeg", "image/tiff", "image/bmp", "image/webp"],
        response: { ...problemResponses, 200: z.unknown().describe("the image bytes") },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "READ");
      const { imageId, variant } = request.params;
      const image = await deps.prisma.image.findFirst({
        where: { id: imageId, labId: request.caller.labId },
        include: { predictions: { orderBy: { createdAt: "desc" }, take: 1, select: { gradcamKey: true } } },
      });
      if (!image) throw problems.notFound("Image");
      const stored = {
        original: { key: image.objectKey, type: CONTENT_TYPES[image.format as ImageFormat] ?? "application/octet-stream" },
        preprocessed: { key: image.preprocessedKey, type: "image/png" },
        gradcam: { key: image.predictions[0]?.gradcamKey ?? null, type: "image/png" },
      }[variant];
      if (!stored.key) throw problems.notFound(`The ${variant} image`);
      const body = await deps.objectStore.openRead(stored.key);
      // The bytes are the lab's upload: a polyglot must never be sniffed by a browser into HTML or script.
      return reply.type(stored.type).header("cache-control", "private, max-age=300").header("x-content-type-options", "nosniff").send(body);
    },
  );
}
