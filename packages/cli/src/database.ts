import { createPrismaClient, type PrismaClient } from "@leukoflow/shared";
import { loadCommonEnv } from "./runtime-env.js";

/** Runs `work` with a small Prisma client on the command's DATABASE_URL, disconnecting afterwards. */
export async function withPrisma<T>(work: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  const prisma = createPrismaClient(loadCommonEnv().DATABASE_URL, 2);
  try {
    return await work(prisma);
  } finally {
    await prisma.$disconnect();
  }
}
