import { decodeBmp, type RgbImage } from "@leukoflow/imaging";
import { InvalidImageError, sniffImageFormat, SNIFF_BYTES } from "@leukoflow/shared";
import sharp, { type Sharp } from "sharp";

export interface DecodedUpload {
  /** 8-bit sRGB, EXIF orientation applied, transparency flattened onto white. */
  image: RgbImage;
  format: string;
}

/**
 * Decodes JPEG, PNG, WebP, TIFF (first page) and BMP into 8-bit sRGB. sharp reads all but BMP,
 * which decodeBmp reads. Grey becomes RGB, 16-bit samples are scaled to 8, and alpha is flattened
 * onto white because a smear's background is bright glass. Anything undecodable is an InvalidImageError.
 */
export async function decodeUpload(bytes: Uint8Array, maxInputPixels: number): Promise<DecodedUpload> {
  const sniffed = sniffImageFormat(bytes.subarray(0, SNIFF_BYTES));
  try {
    let pipeline: Sharp;
    if (sniffed === "bmp") {
      const bmp = decodeBmp(bytes, maxInputPixels);
      pipeline = sharp(bmp.data, { raw: { width: bmp.width, height: bmp.height, channels: bmp.channels } });
    } else {
      pipeline = sharp(bytes, { limitInputPixels: maxInputPixels, failOn: "error", page: 0, pages: 1 });
    }
    const format = sniffed ?? (await pipeline.metadata()).format;
    const { data, info } = await pipeline
      .rotate()
      .flatten({ background: "#ffffff" })
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      image: {
        width: info.width,
        height: info.height,
        data: new Uint8Array(data.buffer, data.byteOffset, data.length),
      },
      format,
    };
  } catch (error) {
    throw new InvalidImageError(`Cannot decode image: ${(error as Error).message}`, { cause: error });
  }
}
