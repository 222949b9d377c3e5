import type { Database, ImageWithLatestPrediction, Specimen } from "@leukoflow/shared";
import { problems } from "../problem.js";

/** The caller's lab's specimen; another lab's is as absent as one that does not exist. */
export async function findLabSpecimen(db: Database, labId: string, specimenId: string): Promise<Specimen> {
  const specimen = await db.specimens.findInLab(labId, specimenId);
  if (!specimen) throw problems.notFound("Specimen");
  return specimen;
}

/** The caller's lab's image with its latest prediction; another lab's is as absent as one that does not exist. */
export async function findLabImage(db: Database, labId: string, imageId: string): Promise<ImageWithLatestPrediction> {
  const image = await db.images.findWithLatestPrediction(labId, imageId);
  if (!image) throw problems.notFound("Image");
  return image;
}
