import type { DeliverSpecimenWebhookPayload, PrismaClient } from "@leukoflow/shared";
import { toSpecimenDto } from "../services/specimen-dto.js";
import { signatureHeaders } from "./signature.js";

export interface WebhookDeliveryDeps {
  prisma: PrismaClient;
  timeoutMs: number;
}

/**
 * POSTs a `specimen.completed` event to the specimen's lab's webhook. Throws on any answer but 2xx,
 * so BullMQ retries it with backoff; the same job id (and webhook-id) is kept across retries, so a
 * receiver can drop repeats.
 */
export async function deliverSpecimenWebhook(deps: WebhookDeliveryDeps, payload: DeliverSpecimenWebhookPayload, deliveryId: string): Promise<void> {
  const specimen = await deps.prisma.specimen.findUnique({ where: { id: payload.specimenId }, include: { lab: true } });
  const { webhookUrl, webhookSecret } = specimen?.lab ?? {};
  if (!specimen || !webhookUrl || !webhookSecret) return;
  const body = JSON.stringify({ type: "specimen.completed", data: toSpecimenDto(specimen) });
  const response = await fetch(webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", ...signatureHeaders(webhookSecret, deliveryId, Math.floor(Date.now() / 1000), body) },
    body,
    signal: AbortSignal.timeout(deps.timeoutMs),
  });
  if (!response.ok) throw new Error(`webhook ${webhookUrl} answered ${response.status}`);
}
