import { createProcessor } from "@leukoflow/shared";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { deliverSpecimenWebhook, type WebhookDeliveryDeps } from "./deliver-specimen-webhook.js";

/** The one worker of the `webhooks` queue; it runs inside the ingest process. */
export function startWebhookWorker(deps: WebhookDeliveryDeps & { connection: Redis; prefix: string; concurrency: number }): Worker {
  const processor = createProcessor("webhooks", {
    "deliver-specimen-webhook": (payload, job) => deliverSpecimenWebhook(deps, payload, job.id ?? job.name),
  });
  return new Worker("webhooks", processor, { connection: deps.connection, prefix: deps.prefix, concurrency: deps.concurrency });
}
