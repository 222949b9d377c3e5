import { issueApiKey, type ApiKey, type ApiKeyScope, type Database } from "@leukoflow/shared";
import type { Caller } from "../auth.js";
import { problems } from "../problem.js";
import { generateWebhookSecret } from "../webhooks/signature.js";

/** What a lab's ADMIN key manages for its own lab, each change audited under the acting key. */
export class LabAdmin {
  constructor(private readonly db: Database) {}

  /** A new key for the caller's lab; its secret (`key`) exists only in this answer. */
  async createApiKey(caller: Caller, name: string, scopes: ApiKeyScope[]): Promise<{ apiKey: ApiKey; key: string }> {
    return issueApiKey(this.db, { labId: caller.labId, name, scopes, actor: caller.apiKeyId });
  }

  listApiKeys(labId: string): Promise<ApiKey[]> {
    return this.db.labs.listApiKeys(labId);
  }

  /** 404 when the lab has no such live key. */
  async revokeApiKey(caller: Caller, apiKeyId: string): Promise<void> {
    if (!(await this.db.labs.revokeApiKey(caller.labId, apiKeyId))) throw problems.notFound("API key");
    await this.audit(caller, "api_key.revoked", "api_key", apiKeyId);
  }

  async webhookUrl(labId: string): Promise<string | null> {
    const lab = await this.db.labs.findById(labId);
    return lab?.webhookUrl ?? null;
  }

  /** Points the completion webhook at `url` under a new signing secret, which is returned once. */
  async setWebhook(caller: Caller, url: string): Promise<string> {
    const secret = generateWebhookSecret();
    await this.db.labs.setWebhook(caller.labId, { webhookUrl: url, webhookSecret: secret });
    await this.audit(caller, "webhook.set", "lab", caller.labId);
    return secret;
  }

  async removeWebhook(caller: Caller): Promise<void> {
    await this.db.labs.setWebhook(caller.labId, null);
    await this.audit(caller, "webhook.removed", "lab", caller.labId);
  }

  private audit(caller: Caller, action: string, entityType: string, entityId: string): Promise<void> {
    return this.db.labs.recordAudit({ labId: caller.labId, actor: caller.apiKeyId, action, entityType, entityId });
  }
}
