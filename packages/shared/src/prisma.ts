import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.js";

/*
 * `@leukoflow/shared/prisma`: the raw client, for the repository layer (src/repositories), migrations
 * and tests only. Everything else holds a Database; .dependency-cruiser.cjs refuses other importers.
 */
export { PrismaClient, Prisma } from "./generated/prisma/client.js";

/** Prisma 7 client over node-postgres; no query engine binary involved. */
export function createPrismaClient(databaseUrl: string, poolSize: number): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  return new PrismaClient({ adapter });
}
