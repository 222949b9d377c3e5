import type { ApiKey, ApiKeyScope, AuditEvent, Lab, Prisma } from "../database.js";
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

/** Labs (tenants), their API keys and settings, and the audit trail. */
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
}
