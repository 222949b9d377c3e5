import type { ModelVersion, PrismaClient } from "./database.js";
import { ModelVersionRepository } from "./repositories/model-version-repository.js";

/** The task whose outputs are SUBTYPE_LABELS: the pipeline's workers serve its active version. */
export const SUBTYPE_TASK = "all-subtype-4class";

/** ModelVersionRepository.activeModel for code that still holds a bare client. */
export async function activeModel(prisma: PrismaClient, task: string): Promise<ModelVersion> {
  return new ModelVersionRepository(prisma).activeModel(task);
}
