import type { ApiKeyScope } from "@leukoflow/shared";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { requireScope } from "../auth.js";
import { HttpProblem } from "../problem.js";
import {
  ApiKeyList,
  ApiKeyParams,
  CreateApiKeyBody,
  CreatedApiKey,
  CreatedWebhook,
  SetWebhookBody,
  WebhookInfo,
} from "../schemas/lab-admin.js";
import { NoContent, problemResponses } from "../schemas/common.js";
import type { IngestDeps } from "../server.js";
import { refusedWebhookUrl } from "../webhooks/webhook-destination.js";

const tags = ["lab administration"];

const toApiKeyInfo = (key: {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  revokedAt: Date | null;
}) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  scopes: key.scopes,
  createdAt: key.createdAt.toISOString(),
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

/** What a lab's ADMIN key manages for its own lab: API keys and the completion webhook. */
export async function labAdminRoutes(app: FastifyInstance, deps: IngestDeps): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    "/v1/api-keys",
    {
      schema: {
        tags,
        summary: "Create an API key for the caller's lab (the secret is returned once)",
        body: CreateApiKeyBody,
        response: { ...problemResponses, 201: CreatedApiKey },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "ADMIN");
      const { apiKey, key } = await deps.labAdmin.createApiKey(request.caller, request.body.name, request.body.scopes);
      return reply.status(201).send({ ...toApiKeyInfo(apiKey), key });
    },
  );

  api.get(
    "/v1/api-keys",
    {
      schema: {
        tags,
        summary: "The lab's API keys, without secrets",
        response: { ...problemResponses, 200: ApiKeyList },
      },
    },
    async (request) => {
      requireScope(request.caller, "ADMIN");
      const keys = await deps.labAdmin.listApiKeys(request.caller.labId);
      return { items: keys.map(toApiKeyInfo) };
    },
  );

  api.delete(
    "/v1/api-keys/:apiKeyId",
    {
      schema: {
        tags,
        summary: "Revoke one of the lab's API keys; it is refused from then on",
        params: ApiKeyParams,
        response: { ...problemResponses, 204: NoContent },
      },
    },
    async (request, reply) => {
      requireScope(request.caller, "ADMIN");
      await deps.labAdmin.revokeApiKey(request.caller, request.params.apiKeyId);
      return reply.status(204).send(null);
    },
  );

  api.get(
    "/v1/webhook",
    {
      schema: {
        tags,
        summary: "The lab's completion webhook URL",
        response: { ...problemResponses, 200: WebhookInfo },
      },
    },
    async (request) => {
      requireScope(request.caller, "ADMIN");
      return { url: await deps.labAdmin.webhookUrl(request.caller.labId) };
    },
  );

  api.put(
    "/v1/webhook",
    {
      schema: {
        tags,
        summary: "Set the URL that gets a signed specimen.completed event; returns a new signing secret",
        body: SetWebhookBody,
        response: { ...problemResponses, 200: CreatedWebhook },
      },
    },
    async (request) => {
      requireScope(request.caller, "ADMIN");
      const refused = refusedWebhookUrl(new URL(request.body.url), deps.limits.webhookAllowedHosts);
      if (refused)
        throw new HttpProblem(
          422,
          "webhook-destination-refused",
          "Webhook destination refused",
          `${refused}; webhooks reach public hosts only`,
        );
      return { url: request.body.url, secret: await deps.labAdmin.setWebhook(request.caller, request.body.url) };
    },
  );

  api.delete(
    "/v1/webhook",
    { schema: { tags, summary: "Stop sending completion events", response: { ...problemResponses, 204: NoContent } } },
    async (request, reply) => {
      requireScope(request.caller, "ADMIN");
      await deps.labAdmin.removeWebhook(request.caller);
      return reply.status(204).send(null);
    },
  );
}
