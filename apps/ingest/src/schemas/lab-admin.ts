import { ApiKeyScope } from "@leukoflow/shared";
import { z } from "zod";
import { Timestamp } from "@leukoflow/contracts";

export const ApiKeyInfo = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(ApiKeyScope)),
  createdAt: Timestamp,
  revokedAt: Timestamp.nullable(),
});

export const CreateApiKeyBody = z.object({
  // The name is kept in the key's audit event too, and a JSON column refuses lone UTF-16 surrogates.
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine((name) => !/\p{Cs}/u.test(name), "must be well-formed Unicode (a lone surrogate is not)"),
  scopes: z.array(z.enum(ApiKeyScope)).min(1),
});
export const CreatedApiKey = ApiKeyInfo.extend({ key: z.string().describe("The secret; shown once, never stored") });
export const ApiKeyList = z.object({ items: z.array(ApiKeyInfo) });
export const ApiKeyParams = z.object({ apiKeyId: z.uuid() });

export const SetWebhookBody = z.object({ url: z.url({ protocol: /^https?$/ }) });
export const WebhookInfo = z.object({ url: z.url().nullable() });
export const CreatedWebhook = z.object({
  url: z.url(),
  secret: z.string().describe("HMAC-SHA256 key of the webhook-signature header; shown once"),
});
