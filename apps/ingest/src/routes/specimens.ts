import { Prisma } from "@leukoflow/shared";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requireScope } from "../auth.js";
import { HttpProblem, problems } from "../problem.js";
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
import { requestFingerprint, runIdempotently, type StoredResponse } from "../services/idempotency.js";
import { afterCursor, decodeCursor, encodeCursor } from "../services/specimen-cursor.js";
import { toSpecimenDto } from "../services/specimen-dto.js";
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
      const { labId } = request.caller;
      const create = async (db: Prisma.TransactionClient | typeof deps.prisma): Promise<StoredResponse> => {
        try {
          return {
            statusCode: 201,
            body: toSpecimenDto(await db.specimen.create({ data: { labId, ...request.body } })),
          };
        } catch (error) {
          if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
            throw new HttpProblem(
              409,
              "specimen-exists",
              "Specimen already exists",
              `Accession ${request.body.accession} is already registered`,
            );
          }
          throw error;
        }
      };
      const key = request.headers["idempotency-key"];
      if (!key) {
        const created = await create(deps.prisma);
        return reply.status(201).send(created.body as Specimen);
      }
      const fingerprint = requestFingerprint("POST", "/v1/specimens", request.body);
      const result = await runIdempotently(deps.prisma, { labId, key, fingerprint }, create);
      if (result.replayed) reply.header("idempotent-replayed", "true");
      return reply.status(201).send(result.body as Specimen);
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
      const { status, accession, limit, cursor } = request.query;
      const specimens = await deps.prisma.specimen.findMany({
        where: {
          labId: request.caller.labId,
          ...(status ? { status } : {}),
          ...(accession ? { accession } : {}),
          ...(cursor ? afterCursor(decodeCursor(cursor)) : {}),
        },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: limit + 1,
      });
      const page = specimens.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(toSpecimenDto),
        nextCursor: specimens.length > limit && last ? encodeCursor(last) : null,
      };
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
      const report = await specimenReport(deps.prisma, request.caller.labId, request.params.specimenId);
      if (!report) throw problems.notFound("Specimen");
      return report;
    },
  );
}
