import { Database, issueApiKey } from "@leukoflow/shared";
import type { PrismaClient } from "@leukoflow/shared/prisma";

/** A lab with a read/write API key, as a test's tenant. */
export async function createTestLab(
  prisma: PrismaClient,
  slug: string,
  scopes: ("READ" | "WRITE" | "ADMIN")[] = ["READ", "WRITE"],
) {
  const lab = await prisma.lab.create({ data: { slug, name: slug } });
  const { apiKey, key } = await issueApiKey(new Database(prisma), {
    labId: lab.id,
    name: "test",
    scopes,
    actor: "test",
  });
  return { lab, apiKey, key };
}
