import { InvalidImageError } from "@leukoflow/shared";
import sharp from "sharp";

/** Bumped whenever the pixels this step produces change, so stored outputs are not reused across versions. */
export const PREPROCESSING_VERSION = 1;

export interface NormalizedImage {
  /** Square RGB PNG of the model's input size. */
  png: Buffer;
  width: number;
  height: number;
  format: string;
}

/**
 * Decodes an upload and brings it to the model's input: EXIF orientation applied, alpha dropped,
 * centre-cropped to a square and resized. Undecodable bytes are an InvalidImageError.
 */
export async function normalizeImage(bytes: Buffer, inputSize: number, maxInputPixels: number): Promise<NormalizedImage> {
  try {
    const image = sharp(bytes, { limitInputPixels: maxInputPixels, failOn: "error" });
    const metadata = await image.metadata();
    const png = await image
      .rotate()
      .resize(inputSize, inputSize, { fit: "cover", position: "centre" })
      .removeAlpha()
      .toColourspace("srgb")
      .png()
      .toBuffer();
    return { png, width: metadata.autoOrient.width, height: metadata.autoOrient.height, format: metadata.format };
  } catch (error) {
    throw new InvalidImageError(`Cannot decode image: ${(error as Error).message}`, { cause: error });
  }
}
