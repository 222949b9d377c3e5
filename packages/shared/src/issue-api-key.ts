import { generateApiKey } from "./api-keys.js";
import type { ApiKey, ApiKeyScope } from "./database.js";
import type { Database } from "./repositories/database.js";

export interface ApiKeyRequest {
  labId: string;
  name: string;
  scopes: ApiKeyScope[];
  /** Who asks, as the audit trail names them: the acting API key's id, "cli", … */
  actor: string;
}

/**
 * The one way a lab's API key is made (the admin API, the CLI, test labs): stored by its hash and
 * recorded as one `api_key.created` audit event on the key, in one transaction. The secret (`key`)
 * exists only in the answer.
 */
export async function issueApiKey(db: Database, request: ApiKeyRequest): Promise<{ apiKey: ApiKey; key: string }> {
  const generated = generateApiKey();
  return db.transaction(async (tx) => {
    const apiKey = await tx.labs.createApiKey({
      labId: request.labId,
      name: request.name,
      scopes: request.scopes,
      prefix: generated.prefix,
      secretHash: generated.secretHash,
    });
    await tx.labs.recordAudit({
      labId: request.labId,
      actor: request.actor,
      action: "api_key.created",
      entityType: "api_key",
      entityId: apiKey.id,
      details: { name: request.name, prefix: generated.prefix, scopes: request.scopes },
    });
    return { apiKey, key: generated.key };
  });
}
