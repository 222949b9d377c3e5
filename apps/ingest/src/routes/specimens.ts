import { Prisma, SpecimenStatus } from "@leukoflow/shared";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { requireScope } from "../auth.js";
import { HttpProblem } from "../problem.js";
import { parseOrProblem } from "../validation.js";
import type { IngestDeps } from "../server.js";
import { specimenReport } from "../services/specimen-report.js";

const CreateSpecimenBody = z.object({
  accession: z.string().trim().min(1).max(100),
  patientRef: z.string().trim().min(1).max(100).optional(),
});
const ListSpecimensQuery = z.object({
  status: z.enum(SpecimenStatus).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const SpecimenParams = z.object({ specimenId: z.uuid() });

export async function specimenRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  app.post("/v1/specimens", async (request, reply) => {
    requireScope(request.caller, "WRITE");
    const body = parseOrProblem(CreateSpecimenBody, request.body);
    try {
      const specimen = await deps.prisma.specimen.create({ data: { labId: request.caller.labId, ...body } });
      return reply.status(201).send(specimen);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        throw new HttpProblem(409, "specimen-exists", "Specimen already exists", `Accession ${body.accession} is already registered`);
      }
      throw error;
    }
  });

  app.get("/v1/specimens", async (request) => {
    requireScope(request.caller, "READ");
    const query = parseOrProblem(ListSpecimensQuery, request.query);
    const specimens = await deps.prisma.specimen.findMany({
      where: { labId: request.caller.labId, ...(query.status ? { status: query.status } : {}) },
      orderBy: { createdAt: "desc" },
      take: query.limit,
    });
    return { items: specimens };
  });

  app.get("/v1/specimens/:specimenId", async (request) => {
    requireScope(request.caller, "READ");
    const { specimenId } = parseOrProblem(SpecimenParams, request.params);
    const report = await specimenReport(deps.prisma, request.caller.labId, specimenId);
    if (!report) throw new HttpProblem(404, "not-found", "Specimen not found");
    return report;
  });
}
