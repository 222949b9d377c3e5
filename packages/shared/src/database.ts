import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.js";

export { PrismaClient, Prisma } from "./generated/prisma/client.js";
export { ApiKeyScope, ImageStatus, ReviewDecision, SpecimenStatus } from "./generated/prisma/enums.js";
export type {
  ApiKey,
  AuditEvent,
  DirectUpload,
  IdempotencyKey,
  Image,
  Lab,
  ModelVersion,
  Prediction,
  Review,
  Specimen,
} from "./generated/prisma/client.js";

/** Prisma 7 client over node-postgres; no query engine binary involved. */
export function createPrismaClient(databaseUrl: string, poolSize: number): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  return new PrismaClient({ adapter });
}
