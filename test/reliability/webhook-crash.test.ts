import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpecimenStatus } from "@leukoflow/shared";
import { AppProcess } from "../support/app-process.js";
import { useIsolatedServices } from "../support/isolated-services.js";
import { createTestLab } from "../support/labs.js";
import { waitFor } from "../support/wait-for.js";

const ROUNDS = 6;
const SPECIMENS_PER_ROUND = 4;

/**
 * Specimens complete in Postgres (as the workers complete them) while ingest, the only process
 * that hands completions to the webhook queue and delivers them, is killed with SIGKILL once it is up,
 * at moments spread over its dispatch interval, then started again (whether a kill falls between a
 * delivery's enqueue and its mark is chance here; webhooks/completion-dispatcher.test.ts makes that state). Every completion still reaches the lab's
 * receiver, each under exactly one webhook-id.
 */
describe("completion webhooks across ingest crashes", () => {
  const services = useIsolatedServices();
  let receiver: Server;
  let ingest: AppProcess;
  /** webhook-ids seen per specimen id. */
  const deliveries = new Map<string, Set<string>>();

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        const { data } = JSON.parse(body) as { data: { id: string } };
        deliveries.set(data.id, (deliveries.get(data.id) ?? new Set()).add(String(request.headers["webhook-id"])));
        response.statusCode = 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    ingest = new AppProcess("ingest", {
      ...services.env,
      HOST: "127.0.0.1",
      PORT: "0",
      PROGRESS_POLL_MS: "50",
      WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
      LOG_LEVEL: "info", // its "ingest listening" line says it is up
    });
  });

  afterAll(async () => {
    await ingest?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it("delivers every completion once although ingest was killed between completions and their delivery", async () => {
    const { lab } = await createTestLab(services.prisma, "lab-hook-crash", ["READ", "WRITE", "ADMIN"]);
    await services.prisma.lab.update({
      where: { id: lab.id },
      data: {
        webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
        webhookSecret: `whsec_${Buffer.from("a webhook secret of the crash test").toString("base64")}`,
      },
    });
    const specimenIds: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Up and dispatching (its sweeps and webhook worker start before it listens), so the kill below lands in a live cycle.
      const outputBefore = ingest.output.length;
      ingest.start();
      await waitFor(
        "ingest to start",
        async () => (ingest.output.includes("ingest listening", outputBefore) ? true : null),
        30_000,
        20,
      );
      for (let i = 0; i < SPECIMENS_PER_ROUND; i++) {
        const specimen = await services.prisma.specimen.create({
          data: { labId: lab.id, accession: `CRASH-${round}-${i}`, status: SpecimenStatus.PROCESSING },
        });
        await services.prisma.specimen.update({
          where: { id: specimen.id },
          data: { status: SpecimenStatus.COMPLETED, completedAt: new Date(), summary: { call: "benign" } },
        });
        specimenIds.push(specimen.id);
      }
      // Kill it at a different point of its 50 ms dispatch cycle each round: before, during and after a dispatch.
      await sleep(round * 15);
      await ingest.crash();
    }
    ingest.start();

    await waitFor(
      "every completion to reach the receiver",
      async () => (specimenIds.every((id) => deliveries.has(id)) ? true : null),
      60_000,
    );
    // Long enough for any second enqueue of a completion to be dispatched and delivered.
    await sleep(1_500);
    expect([...deliveries.keys()].sort()).toEqual([...specimenIds].sort());
    for (const id of specimenIds) expect(deliveries.get(id)!.size, `webhook-ids of specimen ${id}`).toBe(1);
    const unmarked = await services.prisma.specimen.count({
      where: { id: { in: specimenIds }, completionNotifiedAt: null },
    });
    expect(unmarked).toBe(0);
  });
});
