import type { ModelVersion } from "@leukoflow/shared";
import type { Prisma, PrismaClient } from "@leukoflow/shared/prisma";
import { ALL_SUBTYPES, SUBTYPE_LABELS } from "@leukoflow/contracts";

/**
 * A ModelVersion row with no artifact behind it, active unless `overrides` say otherwise: enough for
 * the preprocess worker, which only reads the active model's input size and stain normalization.
 * Tests that classify publish models/aria-cnn-v1 instead.
 */
export function publishTestModel(
  prisma: PrismaClient,
  overrides: Partial<Prisma.ModelVersionCreateInput> = {},
): Promise<ModelVersion> {
  return prisma.modelVersion.create({
    data: {
      name: "test-model",
      version: "1",
      architecture: "none",
      task: "all-subtype-4class",
      classes: [...SUBTYPE_LABELS],
      malignantClasses: [...ALL_SUBTYPES],
      inputSize: 64,
      artifactUri: "s3://unused/",
      artifactSha256: "0".repeat(64),
      active: true,
      ...overrides,
    },
  });
}
