/**
 * The ids of an image's preprocess and classify jobs. They come from the image, so a job enqueued
 * twice is one job; the round (how many times the image was sent back to preprocessing) makes each
 * pass's jobs new ones, since BullMQ ignores an add whose id it still holds.
 */
export function imageJobIds(image: { id: string; round: number }): { preprocess: string; classify: string } {
  const suffix = image.round === 0 ? "" : `-r${image.round}`;
  return { preprocess: `preprocess-${image.id}${suffix}`, classify: `classify-${image.id}${suffix}` };
}

/** One review-images job per image and one Grad-CAM job per prediction: asking again while one is pending adds nothing. */
export const reviewImagesJobId = (imageId: string): string => `review-images-${imageId}`;
export const gradcamJobId = (predictionId: string): string => `gradcam-${predictionId}`;

/**
 * One shadow-scoring job per image, pass and version in shadow: queueing it again while it is held
 * adds nothing, and a new pass or a new version in shadow gets a job of its own.
 */
export function shadowJobId(image: { id: string; round: number }, modelVersionId: string): string {
  return `shadow-${image.id}-${modelVersionId}${image.round === 0 ? "" : `-r${image.round}`}`;
}
