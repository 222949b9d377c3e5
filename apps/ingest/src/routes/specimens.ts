import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requireScope } from "../auth.js";
import { problems } from "../problem.js";
import { problemResponses, SpecimenParams } from "../schemas/common.js";
import {
  CreateSpecimenBody,
  IdempotencyHeaders,
  ListSpecimensQuery,
  Specimen,
  SpecimenPage,
  SpecimenReport,
} from "@leukoflow/contracts";
import type { IngestDeps } from "../server.js";
import { specimenReport } from "../services/specimen-report.js";

const tags = ["specimens"];

export async function specimenRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/v1/specimens",
    {
      schema: {
        tags,
        summary: "Register a specimen",
        headers: IdempotencyHeaders,
        body: CreateSpecimenBody,
        response: { ...problemResponses, 201: Specimen },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "WRITE");
      const { specimen, replayed } = await deps.specimens.register(
        request.caller.labId,
        request.body,
        request.headers["idempotency-key"],
      );
      if (replayed) reply.header("idempotent-replayed", "true");
      return reply.status(201).send(specimen);
    },
  );

  api.get(
    "/v1/specimens",
    {
      schema: {
        tags,
        summary: "List the lab's specimens, newest first",
        querystring: ListSpecimensQuery,
        response: { ...problemResponses, 200: SpecimenPage },
      },
    },
    async (request) => {
      requireScope(request.caller, "READ");
      return deps.specimens.list(request.caller.labId, request.query);
    },
  );

  api.get(
    "/v1/specimens/:specimenId",
    {
      schema: {
        tags,
        summary: "A specimen with per-image predictions and its summary",
        params: SpecimenParams,
        response: { ...problemResponses, 200: SpecimenReport },
      },
    },
    async (request) => {
      requireScope(request.caller, "READ");
      const report = await specimenReport(deps.db, request.caller.labId, request.params.specimenId);
      if (!report) throw problems.notFound("Specimen");
      return report;
    },
  );
}
