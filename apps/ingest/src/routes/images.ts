import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { requireScope } from "../auth.js";
import { HttpProblem } from "../problem.js";
import { parseOrProblem } from "../validation.js";
import type { IngestDeps } from "../server.js";
import type { AcceptedImage } from "../services/image-intake.js";

const SpecimenParams = z.object({ specimenId: z.uuid() });

interface RejectedFile {
  fileName: string;
  status: number;
  type: string;
  detail: string;
}

export async function imageRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  /** Multipart upload of one or many files; each is streamed to storage as it arrives. */
  app.post("/v1/specimens/:specimenId/images", async (request, reply) => {
    requireScope(request.caller, "WRITE");
    const { specimenId } = parseOrProblem(SpecimenParams, request.params);
    const specimen = await deps.prisma.specimen.findFirst({ where: { id: specimenId, labId: request.caller.labId } });
    if (!specimen) throw new HttpProblem(404, "not-found", "Specimen not found");
    if (!request.isMultipart()) throw new HttpProblem(415, "multipart-required", "Send images as multipart/form-data");

    const accepted: AcceptedImage[] = [];
    const rejected: RejectedFile[] = [];
    for await (const part of request.files()) {
      const fileName = part.filename || "unnamed";
      try {
        accepted.push(await deps.intake.accept(specimen, fileName, part.file));
      } catch (error) {
        if (!(error instanceof HttpProblem) || error.status === 503) throw error;
        rejected.push({ fileName, status: error.status, type: error.type, detail: error.detail ?? error.title });
      }
    }
    if (accepted.length === 0 && rejected.length === 0) throw new HttpProblem(400, "no-files", "The request held no files");
    if (accepted.length === 0) {
      const first = rejected[0]!;
      throw new HttpProblem(first.status, first.type, "No file was accepted", first.detail, { rejected });
    }
    return reply.status(rejected.length > 0 ? 207 : 201).send({ accepted, rejected });
  });
}
