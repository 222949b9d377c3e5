import { createProcessor, type Logger } from "@leukoflow/shared";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { deliverSpecimenWebhook, type WebhookDeliveryDeps } from "./deliver-specimen-webhook.js";

/** The one worker of the `webhooks` queue; it runs inside the ingest process. */
export function startWebhookWorker(
  deps: WebhookDeliveryDeps & { connection: Redis; prefix: string; concurrency: number; logger: Logger },
): Worker {
  const processor = createProcessor("webhooks", {
    "deliver-specimen-webhook": (payload, job) => deliverSpecimenWebhook(deps, payload, job.id ?? job.name),
  });
  const worker = new Worker("webhooks", processor, {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
  });
  worker.on("failed", (job, err) => deps.logger.warn({ jobId: job?.id, err }, "webhook delivery failed"));
  // Connection errors are logged once per outage by logConnectionOutages; BullMQ re-emits each retry's.
  worker.on("error", (err) => {
    if (deps.connection.status === "ready") deps.logger.error({ err }, "webhook worker error");
  });
  return worker;
}
