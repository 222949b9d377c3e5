import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Database } from "@leukoflow/shared";
import { toSpecimenDto } from "../services/specimen-dto.js";
import { signatureHeaders } from "./signature.js";
import { pinnedWebhookLookup, refusedWebhookUrl, WebhookDestinationRefused } from "./webhook-destination.js";
import type { DeliverSpecimenWebhookPayload } from "@leukoflow/contracts";

export interface WebhookDeliveryDeps {
  db: Database;
  timeoutMs: number;
  /** Internal hosts the operator allows webhooks to reach (WEBHOOK_ALLOWED_HOSTS). */
  allowedHosts: ReadonlySet<string>;
}

/**
 * POSTs a `specimen.completed` event to the specimen's lab's webhook. Throws on any answer but 2xx,
 * so BullMQ retries it with backoff; the same job id (and webhook-id) is kept across retries, so a
 * receiver can drop repeats. The destination is checked again here (it may have been registered
 * before the rule, or its name may now resolve inside), and redirects are not followed.
 */
export async function deliverSpecimenWebhook(
  deps: WebhookDeliveryDeps,
  payload: DeliverSpecimenWebhookPayload,
  deliveryId: string,
): Promise<void> {
  const specimen = await deps.db.specimens.findWithLab(payload.specimenId);
  const { webhookUrl, webhookSecret } = specimen?.lab ?? {};
  if (!specimen || !webhookUrl || !webhookSecret) return;
  const url = new URL(webhookUrl);
  const refused = refusedWebhookUrl(url, deps.allowedHosts);
  if (refused) throw new WebhookDestinationRefused(`webhook ${url.origin} refused: ${refused}`);
  const body = JSON.stringify({ type: "specimen.completed", data: toSpecimenDto(specimen) });
  const status = await post(
    url,
    body,
    {
      "content-type": "application/json",
      ...signatureHeaders(webhookSecret, deliveryId, Math.floor(Date.now() / 1000), body),
    },
    deps,
  );
  if (status < 200 || status > 299) throw new Error(`webhook ${url.origin} answered ${status}`);
}

/** One POST, to the address the pinned lookup checked; resolves with the status once the answer is read. */
function post(url: URL, body: string, headers: Record<string, string>, deps: WebhookDeliveryDeps): Promise<number> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: pinnedWebhookLookup(deps.allowedHosts),
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
    request.on("error", reject);
    request.on("response", (response) => {
      response.on("error", reject);
      response.on("end", () => resolve(response.statusCode ?? 0));
      response.resume();
    });
    request.end(body);
  });
}
