import {
  ImageStatus,
  type ClassifiedImageFields,
  type Database,
  type Image,
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

/** The lab's images of some bytes, seen from one specimen. */
export interface LabCopies {
  /** The specimen's own image of them: a new one would be a duplicate. */
  inSpecimen: Image | null;
  /** What a new image of them in the specimen takes; null when the lab holds none (or the specimen does). */
  stored: StoredCopy | null;
}

/**
 * Storage is deduplicated per lab, membership per specimen: the same bytes uploaded into another
 * specimen become an image of that specimen too, sharing the stored object and, when the active
 * model already classified them, that classification (its outputs are keyed by bytes and model).
 * New bytes, the common case, cost one query.
 */
export async function findLabCopies(
  db: Database,
  labId: string,
  sha256: string,
  specimenId: string,
): Promise<LabCopies> {
  const images = await db.images.listLabCopies(labId, sha256);
  const inSpecimen = images.find((image) => image.specimenId === specimenId) ?? null;
  const [first] = images;
  if (!first || inSpecimen) return { inSpecimen, stored: null };
  return { inSpecimen, stored: { ...pick(first), classified: await activeClassification(db, images) } };
}

function pick({ objectKey, byteSize, format, width, height }: Image): Omit<StoredCopy, "classified"> {
  return { objectKey, byteSize, format, width, height };
}

async function activeClassification(db: Database, images: Image[]): Promise<StoredCopy["classified"]> {
  const classified = images.filter((image) => image.status === ImageStatus.CLASSIFIED);
  if (classified.length === 0) return null;
  const prediction = await db.images.findActivePrediction(classified.map((image) => image.id));
  if (!prediction) return null;
  return reusable(
    classified.find((image) => image.id === prediction.imageId)!,
    prediction,
  );
}

function reusable(image: Image, prediction: Prediction): NonNullable<StoredCopy["classified"]> {
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
