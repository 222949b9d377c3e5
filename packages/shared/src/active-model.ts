import type { ModelVersion, PrismaClient } from "./database.js";
import { LeukoflowError } from "./errors.js";

/** The task whose outputs are SUBTYPE_LABELS: the pipeline's workers serve its active version. */
export const SUBTYPE_TASK = "all-subtype-4class";

export class NoActiveModelError extends LeukoflowError {
  constructor(task: string) {
    super(
      "no_active_model",
      `No active model version for ${task}: publish one with \`leukoflow models publish --activate\``,
    );
  }
}

/**
 * The version of `task` both workers serve. A partial unique index (model_version_one_active_per_task)
 * allows one active version per task, so this is the only one.
 */
export async function activeModel(prisma: PrismaClient, task: string): Promise<ModelVersion> {
  const version = await prisma.modelVersion.findFirst({ where: { task, active: true } });
  if (!version) throw new NoActiveModelError(task);
  return version;
}
