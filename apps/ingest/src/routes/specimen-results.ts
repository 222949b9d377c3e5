import type { SpecimenProgress } from "@leukoflow/contracts";
import { SpecimenChangeSubscriber } from "@leukoflow/shared";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireScope } from "../auth.js";
import { relayChanges } from "../change-relay.js";
import type { EventStream } from "../event-stream.js";
import { problems } from "../problem.js";
import { problemResponses, SpecimenParams } from "../schemas/common.js";
import type { IngestDeps } from "../server.js";
import { specimenFhirBundle } from "../services/fhir-report.js";
import { isSettled, readProgress } from "../services/specimen-progress.js";

const tags = ["results"];

export async function specimenResultRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  // The process's one subscriber connection; it queues commands while Redis is away, failing them after the request connection's timeout.
  const changes = new SpecimenChangeSubscriber(
    deps.redis.duplicate({ enableOfflineQueue: true }),
    deps.limits.redisPrefix,
  );
  const streams = new Set<EventStream>();
  app.addHook("preClose", async () => {
    for (const stream of streams) stream.end();
  });
  app.addHook("onClose", async () => changes.close());

  api.get(
    "/v1/specimens/events",
    {
      schema: {
        tags,
        summary:
          "Server-Sent Events of the lab's specimens: `ready` once following, then `progress` (with its `specimenId`) whenever one of them changes; read the list after `ready` and it misses nothing. The stream stays open.",
        produces: ["text/event-stream"],
        response: problemResponses,
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "READ");
      const { labId } = request.caller;
      await relayChanges(reply, streams, {
        follow: (listener) => changes.followLab(labId, listener),
        snapshot: () => Promise.resolve(null),
        open: (stream) => stream.send("ready", {}),
        // A missed change cannot be named: `ready` again asks the client to read its list anew.
        relay: async (stream, change) => {
          if (!change) return stream.send("ready", {});
          const progress = await readProgress(deps.db, labId, change.specimenId);
          if (progress) stream.send("progress", { specimenId: change.specimenId, ...progress });
        },
      });
    },
  );

  api.get(
    "/v1/specimens/:specimenId/events",
    {
      schema: {
        tags,
        summary:
          "Server-Sent Events: `progress` with the specimen's counts first and whenever they change, `image` for each image whose status changed, then `completed` once, and the stream ends. Every connection (a reconnection with Last-Event-ID too) starts with a fresh `progress`, which carries all that was missed.",
        params: SpecimenParams,
        produces: ["text/event-stream"],
        response: problemResponses,
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "READ");
      const { labId } = request.caller;
      const { specimenId } = request.params;
      let sent = "";
      const sendProgress = (stream: EventStream, progress: SpecimenProgress) => {
        const snapshot = JSON.stringify(progress);
        if (snapshot !== sent) stream.send("progress", progress);
        sent = snapshot;
        if (!isSettled(progress.status)) return;
        stream.send("completed", progress);
        stream.end();
      };
      await relayChanges(reply, streams, {
        follow: (listener) => changes.followSpecimen(labId, specimenId, listener),
        snapshot: async () => {
          const progress = await readProgress(deps.db, labId, specimenId);
          if (!progress) throw problems.notFound("Specimen");
          return progress;
        },
        open: sendProgress,
        relay: async (stream, change) => {
          for (const image of change?.images ?? []) stream.send("image", { imageId: image.id, status: image.status });
          const progress = await readProgress(deps.db, labId, specimenId);
          if (progress) sendProgress(stream, progress);
          else stream.end();
        },
      });
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
      const bundle = await specimenFhirBundle(deps.db, request.caller.labId, request.params.specimenId);
      if (!bundle) throw problems.notFound("Specimen");
      return reply.type("application/fhir+json").send({ ...bundle });
    },
  );
}
