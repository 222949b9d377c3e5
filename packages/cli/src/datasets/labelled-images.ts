import { modelRef } from "@leukoflow/model-registry";
import type { ImageFormat, PrismaClient } from "@leukoflow/shared";

export interface LabelledImageFilter {
  /** Only this lab's images (its slug). */
  lab?: string;
  /** Only images labelled (reviewed, or else classified) at or after this time. */
  since?: Date;
  /** Only images a technologist reviewed; otherwise unreviewed images carry the model's label. */
  reviewedOnly: boolean;
}

/** One classified image with the label it teaches: the latest review's, else the model's. */
export interface LabelledImage {
  imageId: string;
  objectKey: string;
  format: ImageFormat | null;
  sha256: string;
  originalName: string | null;
  lab: string;
  specimen: string;
  model: string;
  /** Every class that model emits. */
  modelClasses: string[];
  modelLabel: string;
  modelConfidence: number;
  label: string;
  decision: string | null;
  reviewer: string | null;
  reason: string | null;
  labelledAt: Date;
}

/** The images an export takes, ordered by specimen then upload, so neighbouring images come from one smear. */
export async function findLabelledImages(prisma: PrismaClient, filter: LabelledImageFilter): Promise<LabelledImage[]> {
  const since = filter.since ? { createdAt: { gte: filter.since } } : undefined;
  const images = await prisma.image.findMany({
    where: {
      status: "CLASSIFIED",
      ...(filter.lab ? { lab: { slug: filter.lab } } : {}),
      ...(filter.reviewedOnly
        ? { reviews: { some: since ?? {} } }
        : since
          ? { OR: [{ reviews: { some: since } }, { predictions: { some: since } }] }
          : {}),
    },
    include: {
      lab: { select: { slug: true } },
      specimen: { select: { accession: true } },
      predictions: {
        orderBy: { createdAt: "desc" },
        take: 1,
        include: { modelVersion: { select: { name: true, version: true, classes: true } } },
      },
      reviews: {
        orderBy: { createdAt: "desc" },
        take: 1,
        include: {
          apiKey: { select: { name: true } },
          prediction: { include: { modelVersion: { select: { name: true, version: true, classes: true } } } },
        },
      },
    },
    orderBy: [{ specimen: { createdAt: "asc" } }, { createdAt: "asc" }, { id: "asc" }],
  });
  return images.flatMap((image) => {
    const review = image.reviews[0];
    const prediction = review?.prediction ?? image.predictions[0];
    if (!prediction) return [];
    return [
      {
        imageId: image.id,
        objectKey: image.objectKey,
        format: image.format as ImageFormat | null,
        sha256: image.sha256,
        originalName: image.originalName,
        lab: image.lab.slug,
        specimen: image.specimen.accession,
        model: modelRef(prediction.modelVersion),
        modelClasses: prediction.modelVersion.classes,
        modelLabel: prediction.label,
        modelConfidence: prediction.confidence,
        label: review?.label ?? prediction.label,
        decision: review?.decision ?? null,
        reviewer: review?.apiKey.name ?? null,
        reason: review?.reason ?? null,
        labelledAt: review?.createdAt ?? prediction.createdAt,
      },
    ];
  });
}
