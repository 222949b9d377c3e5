import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueue, createRedisConnection, SpecimenStatus, type LeukoflowQueue } from "@leukoflow/shared";
import { useIsolatedServices } from "../../../../test/support/isolated-services.js";
import { createTestLab } from "../../../../test/support/labs.js";
import { CompletionDispatcher } from "./completion-dispatcher.js";

/**
 * The state a crash between enqueueing a delivery and marking the specimen notified leaves (the
 * job in Redis, the specimen unmarked), made directly: the next run hands the completion on again
 * under the same job id, so the queue still holds one delivery. test/reliability/webhook-crash.test.ts
 * kills a running ingest at moments that may or may not fall in that window; this one always does.
 */
describe("CompletionDispatcher after a crash between enqueue and mark", () => {
  const services = useIsolatedServices();
  let redis: Redis;
  let webhookQueue: LeukoflowQueue<"webhooks">;

  beforeAll(() => {
    redis = createRedisConnection(services.env.REDIS_URL!);
    webhookQueue = createQueue("webhooks", redis, services.env.QUEUE_PREFIX!);
  });

  afterAll(async () => {
    await webhookQueue?.close();
    redis?.disconnect();
  });

  it("enqueues the completion again under the same job id, so one delivery stays queued", async () => {
    const { lab } = await createTestLab(services.prisma, "dispatch-crash-lab", ["READ", "WRITE", "ADMIN"]);
    await services.prisma.lab.update({
      where: { id: lab.id },
      data: { webhookUrl: "https://lims.example.org/hooks", webhookSecret: "whsec_c2VjcmV0" },
    });
    const specimen = await services.prisma.specimen.create({
      data: {
        labId: lab.id,
        accession: "DISPATCH-CRASH-1",
        status: SpecimenStatus.COMPLETED,
        completedAt: new Date(),
        summary: { call: "benign" },
      },
    });
    const dispatcher = new CompletionDispatcher({ db: services.db, webhookQueue });

    expect(await dispatcher.dispatchPending()).toBe(1);
    const [first] = await webhookQueue.getJobs(["waiting", "prioritized", "delayed"]);
    expect(first?.data.specimenId).toBe(specimen.id);

    await services.prisma.specimen.update({ where: { id: specimen.id }, data: { completionNotifiedAt: null } });
    await dispatcher.dispatchPending();

    const jobs = await webhookQueue.getJobs(["waiting", "prioritized", "delayed"]);
    expect(jobs.map((job) => job.id)).toEqual([first!.id]);
    const row = await services.prisma.specimen.findUniqueOrThrow({ where: { id: specimen.id } });
    expect(row.completionNotifiedAt).not.toBeNull();
    expect(await dispatcher.dispatchPending()).toBe(0);
  });
});
