import {
  ImageStatus,
  type ClassifiedImageFields,
  type Database,
  type ImageWithLatestPrediction,
  type Prediction,
  type ReusedPrediction,
} from "@leukoflow/shared";

/** What a new image of bytes the lab already holds takes from the images that hold them. */
export interface StoredCopy {
  /** The one object every image of these bytes in the lab shares. */
  objectKey: string;
  byteSize: number;
  format: string | null;
  width: number | null;
  height: number | null;
  /** The classification the active model made of these bytes, to reuse; null when none has yet. */
  classified: { image: ClassifiedImageFields; prediction: ReusedPrediction } | null;
}

/**
 * Storage is deduplicated per lab, membership per specimen: the same bytes uploaded into another
 * specimen become an image of that specimen too, sharing the stored object and, when the active
 * model already classified them, that classification (its outputs are keyed by bytes and model).
 */
export async function findStoredCopy(db: Database, labId: string, sha256: string): Promise<StoredCopy | null> {
  const images = await db.images.listLabCopies(labId, sha256);
  const [first] = images;
  if (!first) return null;
  const classified = images.find((image) => image.status === ImageStatus.CLASSIFIED && image.predictions.length > 0);
  return {
    objectKey: first.objectKey,
    byteSize: first.byteSize,
    format: first.format,
    width: first.width,
    height: first.height,
    classified: classified ? reusable(classified, classified.predictions[0]!) : null,
  };
}

function reusable(image: ImageWithLatestPrediction, prediction: Prediction): NonNullable<StoredCopy["classified"]> {
  const { id: _id, imageId: _imageId, createdAt: _createdAt, ...rest } = prediction;
  return {
    image: {
      status: ImageStatus.CLASSIFIED,
      preprocessedKey: image.preprocessedKey,
      inputSize: image.inputSize,
      stainNormalization: image.stainNormalization,
      segmentation: image.segmentation,
    },
    prediction: rest,
  };
}
