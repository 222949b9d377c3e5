import type { ModelVersion, PrismaClient } from "@leukoflow/shared";

export class NoActiveModelError extends Error {
  override readonly name = "NoActiveModelError";
}

export async function findActiveVersion(prisma: PrismaClient): Promise<ModelVersion> {
  const version = await prisma.modelVersion.findFirst({ where: { active: true }, orderBy: { createdAt: "desc" } });
  if (!version) throw new NoActiveModelError("No active model version: publish one with `leukoflow models publish --activate`");
  return version;
}
