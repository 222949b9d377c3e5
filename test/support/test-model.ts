import type { PrismaClient } from "@leukoflow/shared/prisma";
import { ALL_SUBTYPES, SUBTYPE_LABELS } from "@leukoflow/contracts";

/**
 * An active ModelVersion row with no artifact behind it: enough for the preprocess worker, which
 * only reads the active model's input size. Tests that classify publish models/aria-cnn-v1 instead.
 */
export async function publishTestModel(prisma: PrismaClient, inputSize = 64): Promise<void> {
  await prisma.modelVersion.create({
    data: {
      name: "test-model",
      version: "1",
      architecture: "none",
      task: "all-subtype-4class",
      classes: [...SUBTYPE_LABELS],
      malignantClasses: [...ALL_SUBTYPES],
      inputSize,
      artifactUri: "s3://unused/",
      artifactSha256: "0".repeat(64),
      active: true,
    },
  });
}
