import { createHmac, randomBytes } from "node:crypto";

/** Secrets as Standard Webhooks writes them: `whsec_` and the base64 of the HMAC key. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/**
 * The headers of a signed delivery, per the Standard Webhooks spec: the signature is
 * base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")), so a receiver can check the body is ours,
 * unaltered, and recent.
 */
export function signatureHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signature = createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": `v1,${signature}`,
  };
}
