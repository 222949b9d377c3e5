import { generateApiKey } from "@leukoflow/shared";
import type { PrismaClient } from "@leukoflow/shared/prisma";

/** A lab with a read/write API key, as a test's tenant. */
export async function createTestLab(
  prisma: PrismaClient,
  slug: string,
  scopes: ("READ" | "WRITE" | "ADMIN")[] = ["READ", "WRITE"],
) {
  const lab = await prisma.lab.create({ data: { slug, name: slug } });
  const key = generateApiKey();
  const apiKey = await prisma.apiKey.create({
    data: { labId: lab.id, name: "test", prefix: key.prefix, secretHash: key.secretHash, scopes },
  });
  return { lab, apiKey, key: key.key };
}
