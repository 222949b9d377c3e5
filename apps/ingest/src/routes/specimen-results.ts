import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireScope } from "../auth.js";
import { problems } from "../problem.js";
import { problemResponses, SpecimenParams } from "../schemas/common.js";
import type { IngestDeps } from "../server.js";
import { fhirReportBundle } from "../services/fhir-report.js";
import { isSettled, readProgress } from "../services/specimen-progress.js";
import { specimenReport } from "../services/specimen-report.js";

const tags = ["results"];
const KEEP_ALIVE_MS = 15_000;

export async function specimenResultRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });

  api.get(
    "/v1/specimens/:specimenId/events",
    {
      schema: {
        tags,
        summary:
          "Server-Sent Events: `progress` whenever image counts change, then `completed` once, then the stream ends",
        params: SpecimenParams,
        produces: ["text/event-stream"],
        response: problemResponses,
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "READ");
      const { labId } = request.caller;
      const { specimenId } = request.params;
      let progress = await readProgress(deps.prisma, labId, specimenId);
      if (!progress) throw problems.notFound("Specimen");

      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        "content-type": "text/event-stream",
        "cache-control": "no-store",
        connection: "keep-alive",
      });
      let disconnected = false;
      stream.once("close", () => (disconnected = true));
      const send = (event: string, data: unknown) => stream.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let sent = "";
      let lastWrite = Date.now();
      try {
        while (progress && !disconnected && !closing) {
          const snapshot = JSON.stringify(progress);
          if (snapshot !== sent) {
            send("progress", progress);
            sent = snapshot;
            lastWrite = Date.now();
          } else if (Date.now() - lastWrite > KEEP_ALIVE_MS) {
            stream.write(": keep-alive\n\n");
            lastWrite = Date.now();
          }
          if (isSettled(progress.status)) {
            send("completed", progress);
            break;
          }
          await sleep(deps.limits.progressPollMs);
          progress = await readProgress(deps.prisma, labId, specimenId);
        }
      } catch (error) {
        request.log.error({ err: error, specimenId }, "progress stream failed");
      } finally {
        stream.end();
      }
    },
  );

  api.get(
    "/v1/specimens/:specimenId/fhir",
    {
      schema: {
        tags,
        summary:
          "The specimen report as a FHIR R4 Bundle (DiagnosticReport, an Observation per classified image, Device per model version)",
        params: SpecimenParams,
        produces: ["application/fhir+json"],
        response: { ...problemResponses, 200: z.looseObject({ resourceType: z.literal("Bundle") }) },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "READ");
      const { specimenId } = request.params;
      const report = await specimenReport(deps.prisma, request.caller.labId, specimenId);
      if (!report) throw problems.notFound("Specimen");
      const models = await deps.prisma.modelVersion.findMany({
        where: { predictions: { some: { image: { specimenId } } } },
        select: { id: true, name: true, version: true, artifactSha256: true },
      });
      return reply.type("application/fhir+json").send({ ...fhirReportBundle(report, models) });
    },
  );
}
