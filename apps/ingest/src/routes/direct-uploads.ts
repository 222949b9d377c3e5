import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requireScope } from "../auth.js";
import { HttpProblem } from "../problem.js";
import { problemResponses, SpecimenParams } from "../schemas/common.js";
import { AcceptedImage, DirectUploadRequest, DirectUploadTickets, UploadParams } from "@leukoflow/contracts";
import type { IngestDeps } from "../server.js";
import { findLabSpecimen } from "../services/lab-specimen.js";

const tags = ["direct uploads"];

export async function directUploadRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/v1/specimens/:specimenId/uploads",
    {
      schema: {
        tags,
        summary: "Declare files (size, sha256) and get a presigned PUT URL for each one the lab does not have yet",
        params: SpecimenParams,
        body: DirectUploadRequest,
        response: { ...problemResponses, 201: DirectUploadTickets },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "WRITE");
      if (request.body.files.length > deps.limits.maxFilesPerRequest) {
        throw new HttpProblem(
          413,
          "too-many-files",
          "Too many files in one request",
          `At most ${deps.limits.maxFilesPerRequest}`,
        );
      }
      const specimen = await findLabSpecimen(deps.db, request.caller.labId, request.params.specimenId);
      await deps.backlog.assertRoom();
      return reply.status(201).send({ uploads: await deps.directUploads.request(specimen, request.body.files) });
    },
  );

  api.post(
    "/v1/uploads/:uploadId/complete",
    {
      schema: {
        tags,
        summary: "Verify an uploaded object's size and sha256 and accept it as an image",
        params: UploadParams,
        response: { ...problemResponses, 201: AcceptedImage },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "WRITE");
      await deps.backlog.assertRoom();
      return reply.status(201).send(await deps.directUploads.complete(request.caller.labId, request.params.uploadId));
    },
  );
}
