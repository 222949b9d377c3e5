import { modelRef } from "@leukoflow/model-registry";
import type { Database, ImageFormat, LabelledImageFilter } from "@leukoflow/shared";

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
export async function findLabelledImages(db: Database, filter: LabelledImageFilter): Promise<LabelledImage[]> {
  const images = await db.images.listLabelled(filter);
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
