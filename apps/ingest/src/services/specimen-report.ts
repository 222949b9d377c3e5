import type { PrismaClient } from "@leukoflow/shared";
import type { SpecimenReport } from "../schemas/specimens.js";
import { toSpecimenDto } from "./specimen-dto.js";

/** A specimen with each image's latest prediction, scoped to the caller's lab (null when not theirs). */
export async function specimenReport(prisma: PrismaClient, labId: string, specimenId: string): Promise<SpecimenReport | null> {
  const specimen = await prisma.specimen.findFirst({
    where: { id: specimenId, labId },
    include: {
      images: {
        orderBy: { createdAt: "asc" },
        include: {
          predictions: {
            orderBy: { createdAt: "desc" },
            take: 1,
            include: { modelVersion: { select: { name: true, version: true } } },
          },
        },
      },
    },
  });
  if (!specimen) return null;
  return {
    ...toSpecimenDto(specimen),
    images: specimen.images.map(({ predictions, ...image }) => {
      const prediction = predictions[0];
      return {
        id: image.id,
        originalName: image.originalName,
        sha256: image.sha256,
        status: image.status,
        failureReason: image.failureReason,
        width: image.width,
        height: image.height,
        format: image.format,
        prediction: prediction
          ? {
              label: prediction.label,
              confidence: prediction.confidence,
              probabilities: prediction.probabilities as Record<string, number>,
              model: `${prediction.modelVersion.name}@${prediction.modelVersion.version}`,
              timings: prediction.timings as Record<string, number>,
            }
          : null,
      };
    }),
  };
}
