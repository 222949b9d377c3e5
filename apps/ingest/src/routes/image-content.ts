import { CONTENT_TYPES, type ImageFormat } from "@leukoflow/shared";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { Readable } from "node:stream";
import { z } from "zod";
import { requireScope, type Caller } from "../auth.js";
import { problems } from "../problem.js";
import { problemResponses } from "../schemas/common.js";
import type { IngestDeps } from "../server.js";
import { DerivedImages, PENDING } from "../services/derived-images.js";
import { findLabImage } from "../services/lab-specimen.js";

const ImageVariant = z
  .enum(["original", "preprocessed", "gradcam", "overlay", "mask"])
  .describe(
    "the uploaded bytes, the model input as PNG, the Grad-CAM overlay, the segmentation overlay (cells tinted green, boxed red) or mask",
  );
const ImageContentParams = z.object({ imageId: z.uuid(), variant: ImageVariant });
const CellParams = z.object({ imageId: z.uuid(), index: z.coerce.number().int().min(0) });
const Pending = z.object({ status: z.literal(PENDING) }).describe("Being made: ask again after Retry-After seconds");
const CellList = z.object({
  cells: z.array(
    z.object({
      box: z
        .object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() })
        .describe("the cell in the upload's oriented pixels"),
      area: z.number().describe("pixels of the cell in the segmentation mask"),
      url: z.string().describe("where to GET the cell's square crop (PNG)"),
    }),
  ),
});
const RETRY_AFTER_SECONDS = 1;
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/tiff", "image/bmp", "image/webp"];

/**
 * An image's pictures, lab-scoped. What only a person looks at (segmentation overlay, mask, cell
 * crops, Grad-CAM) is made on the first request: until stored, the answer is 202 with Retry-After.
 */
export async function imageContentRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const derived = new DerivedImages(deps.objectStore, deps.redis, deps.preprocessQueue.opts.prefix!);
  app.addHook("onClose", () => derived.close());
  const routes = app.withTypeProvider<ZodTypeProvider>();

  const findImage = async (caller: Caller, imageId: string) => {
    requireScope(caller, "READ");
    return findLabImage(deps.db, caller.labId, imageId);
  };
  const pending = (reply: FastifyReply) =>
    reply.status(202).header("retry-after", String(RETRY_AFTER_SECONDS)).send({ status: PENDING });
  // The bytes may be the lab's upload: a polyglot must never be sniffed by a browser into HTML or script.
  const sendImage = (reply: FastifyReply, type: string, body: Buffer | Readable) =>
    reply
      .type(type)
      .header("cache-control", "private, max-age=300")
      .header("x-content-type-options", "nosniff")
      .send(body);

  routes.get(
    "/v1/images/:imageId/:variant",
    {
      schema: {
        tags: ["images"],
        summary:
          "One of the lab's images: original, preprocessed, gradcam, overlay or mask (202 while being made, 404 when it cannot be)",
        params: ImageContentParams,
        produces: IMAGE_TYPES,
        response: { ...problemResponses, 200: z.unknown().describe("the image bytes"), 202: Pending },
      },
    },
    async (request, reply) => {
      const { imageId, variant } = request.params;
      const image = await findImage(request.caller, imageId);
      switch (variant) {
        case "original":
          return sendImage(
            reply,
            CONTENT_TYPES[image.format as ImageFormat] ?? "application/octet-stream",
            await deps.objectStore.openRead(image.objectKey),
          );
        case "preprocessed":
          if (!image.preprocessedKey) throw problems.notFound("The preprocessed image");
          return sendImage(reply, "image/png", await derived.modelInputPng(image.preprocessedKey));
        case "gradcam": {
          const key = await derived.gradcam(image);
          return key === PENDING ? pending(reply) : sendImage(reply, "image/png", await deps.objectStore.openRead(key));
        }
        case "mask":
        case "overlay": {
          const manifest = await derived.reviewImages(image);
          if (manifest === PENDING) return pending(reply);
          return sendImage(
            reply,
            "image/png",
            await deps.objectStore.openRead(variant === "mask" ? manifest.maskKey : manifest.overlayKey),
          );
        }
      }
    },
  );

  routes.get(
    "/v1/images/:imageId/cells",
    {
      schema: {
        tags: ["images"],
        summary:
          "The leukocytes segmented in the image, largest first, each with its crop's URL (202 while being made)",
        params: z.object({ imageId: z.uuid() }),
        response: { ...problemResponses, 200: CellList, 202: Pending },
      },
    },
    async (request, reply) => {
      const { imageId } = request.params;
      const manifest = await derived.reviewImages(await findImage(request.caller, imageId));
      if (manifest === PENDING) return pending(reply);
      return {
        cells: manifest.cells.map(({ box, area }, index) => ({
          box,
          area,
          url: `/v1/images/${imageId}/cells/${index}`,
        })),
      };
    },
  );

  routes.get(
    "/v1/images/:imageId/cells/:index",
    {
      schema: {
        tags: ["images"],
        summary: "One segmented leukocyte's square crop, coloured as the model's input (202 while being made)",
        params: CellParams,
        produces: ["image/png"],
        response: { ...problemResponses, 200: z.unknown().describe("the crop's PNG bytes"), 202: Pending },
      },
    },
    async (request, reply) => {
      const { imageId, index } = request.params;
      const manifest = await derived.reviewImages(await findImage(request.caller, imageId));
      if (manifest === PENDING) return pending(reply);
      const cell = manifest.cells[index];
      if (!cell) throw problems.notFound(`Cell ${index}`);
      return sendImage(reply, "image/png", await deps.objectStore.openRead(cell.cropKey));
    },
  );
}
