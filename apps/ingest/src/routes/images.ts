import type { MultipartFile } from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requireScope } from "../auth.js";
import { HttpProblem } from "../problem.js";
import { problemResponses, SpecimenParams } from "../schemas/common.js";
import { MultipartUploadResult, type AcceptedImage, type RejectedFile } from "@leukoflow/contracts";
import type { IngestDeps } from "../server.js";
import { safeFileName } from "../services/file-name.js";
import { findLabSpecimen } from "../services/lab-specimen.js";

export async function imageRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  /** Multipart upload of one or many files; each is streamed to storage as it arrives. */
  api.post(
    "/v1/specimens/:specimenId/images",
    {
      schema: {
        tags: ["images"],
        summary: "Upload images as multipart/form-data (any number of file parts), streamed to storage",
        consumes: ["multipart/form-data"],
        params: SpecimenParams,
        response: { ...problemResponses, 201: MultipartUploadResult, 207: MultipartUploadResult },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "WRITE");
      const specimen = await findLabSpecimen(deps.db, request.caller.labId, request.params.specimenId);
      if (!request.isMultipart())
        throw new HttpProblem(415, "multipart-required", "Send images as multipart/form-data");
      await deps.backlog.assertRoom();

      const accepted: AcceptedImage[] = [];
      const rejected: RejectedFile[] = [];
      try {
        for await (const part of fileParts(request)) {
          const fileName = safeFileName(part.filename);
          try {
            accepted.push(await deps.intake.accept(specimen, fileName, part.file));
          } catch (error) {
            // The parser failed inside this part (it destroys the part's stream with its error): the body is broken from here on.
            if (part.file.errored) throw malformedMultipart(part.file.errored);
            if (!(error instanceof HttpProblem) || error.status === 503) throw error;
            rejected.push({ fileName, status: error.status, type: error.type, detail: error.detail ?? error.title });
          }
        }
      } catch (error) {
        if ((error as { code?: string }).code !== "FST_FILES_LIMIT") throw error;
        // The files before the limit are kept, so the answer lists them; what follows is not read.
        const max = deps.limits.maxFilesPerRequest;
        rejected.push({
          fileName: "",
          status: 413,
          type: "too-many-files",
          detail: `A request may hold at most ${max} files; the files after the first ${max} were not read`,
        });
      }
      if (accepted.length === 0 && rejected.length === 0)
        throw new HttpProblem(400, "no-files", "The request held no files");
      if (accepted.length === 0) {
        const first = rejected[0]!;
        throw new HttpProblem(first.status, first.type, "No file was accepted", first.detail, { rejected });
      }
      return reply.status(rejected.length > 0 ? 207 : 201).send({ accepted, rejected });
    },
  );
}

const malformedMultipart = (error: Error) =>
  new HttpProblem(400, "malformed-multipart", "Malformed multipart body", error.message);

/**
 * The request's file parts, as the multipart parser reads them. A body it cannot read (no
 * boundary, a malformed part) is the client's error, a 400; its own limit errors pass as they are.
 */
async function* fileParts(request: FastifyRequest): AsyncGenerator<MultipartFile> {
  const parts = request.files();
  for (;;) {
    let next: IteratorResult<MultipartFile>;
    try {
      next = await parts.next();
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith("FST_")) throw error;
      throw malformedMultipart(error as Error);
    }
    if (next.done) return;
    yield next.value;
  }
}
