import type { ApiKey, ApiKeyScope, AuditEvent, IdempotencyKey, Lab } from "../database.js";
import type { Prisma } from "../prisma.js";
import type { DbClient } from "./database.js";

export interface NewApiKey {
  labId: string;
  name: string;
  scopes: ApiKeyScope[];
  prefix: string;
  secretHash: string;
}

export interface NewAuditEvent {
  labId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  details?: Prisma.InputJsonValue;
}

export interface LabWebhook {
  webhookUrl: string;
  webhookSecret: string;
}

/** Labs (tenants), their API keys, settings and idempotency keys, and the audit trail. */
export class LabRepository {
  constructor(private readonly db: DbClient) {}

  findById(id: string): Promise<Lab | null> {
    return this.db.lab.findUnique({ where: { id } });
  }

  findBySlug(slug: string): Promise<Lab | null> {
    return this.db.lab.findUnique({ where: { slug } });
  }

  listIds(): Promise<string[]> {
    return this.db.lab.findMany({ select: { id: true } }).then((labs) => labs.map((lab) => lab.id));
  }

  /** The lab with this slug, created with `name` when there is none. */
  findOrCreate(slug: string, name: string): Promise<Lab> {
    return this.db.lab.upsert({ where: { slug }, create: { slug, name }, update: {} });
  }

  setWebhook(labId: string, webhook: LabWebhook | null): Promise<Lab> {
    return this.db.lab.update({
      where: { id: labId },
      data: webhook ?? { webhookUrl: null, webhookSecret: null },
    });
  }

  setEagerReviewImages(slug: string, eager: boolean): Promise<Lab> {
    return this.db.lab.update({ where: { slug }, data: { eagerReviewImages: eager } });
  }

  createApiKey(key: NewApiKey): Promise<ApiKey> {
    return this.db.apiKey.create({ data: key });
  }

  findApiKeyBySecretHash(secretHash: string): Promise<ApiKey | null> {
    return this.db.apiKey.findUnique({ where: { secretHash } });
  }

  /** The lab's keys, oldest first, revoked ones included. */
  listApiKeys(labId: string): Promise<ApiKey[]> {
    return this.db.apiKey.findMany({ where: { labId }, orderBy: { createdAt: "asc" } });
  }

  /** Revokes the lab's key if it is live; false when there is no such live key. */
  async revokeApiKey(labId: string, apiKeyId: string): Promise<boolean> {
    const { count } = await this.db.apiKey.updateMany({
      where: { id: apiKeyId, labId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return count > 0;
  }

  async recordAudit(event: NewAuditEvent): Promise<void> {
    await this.db.auditEvent.create({ data: event });
  }

  /** Audit events with one of `actions`, oldest first; `since` and `model` (their details' model) narrow them. */
  listAuditEvents(filter: { actions: string[]; since?: Date; model?: string }): Promise<AuditEvent[]> {
    return this.db.auditEvent.findMany({
      where: {
        action: { in: filter.actions },
        ...(filter.since ? { createdAt: { gte: filter.since } } : {}),
        ...(filter.model ? { details: { path: ["model"], equals: filter.model } } : {}),
      },
      orderBy: { id: "asc" },
    });
  }

  findIdempotencyKey(labId: string, key: string): Promise<IdempotencyKey | null> {
    return this.db.idempotencyKey.findUnique({ where: { labId_key: { labId, key } } });
  }

  /** Inserts the key with no response yet; a concurrent request with the same key waits on the row, then fails. */
  async reserveIdempotencyKey(labId: string, key: string, requestHash: string): Promise<void> {
    await this.db.idempotencyKey.create({ data: { labId, key, requestHash, statusCode: 0, response: {} } });
  }

  async storeIdempotentResponse(labId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.db.idempotencyKey.update({
      where: { labId_key: { labId, key } },
      data: { statusCode, response: response as Prisma.InputJsonValue },
    });
  }

  /** Deletes the keys stored before `before`; returns how many. */
  async deleteIdempotencyKeysBefore(before: Date): Promise<number> {
    const { count } = await this.db.idempotencyKey.deleteMany({ where: { createdAt: { lt: before } } });
    return count;
  }
}
