import { InvalidBmpError, readBmpHeader } from "@leukoflow/imaging";
import type { ImageFormat } from "@leukoflow/shared";
import sharp from "sharp";

export interface Dimensions {
  width: number;
  height: number;
}

/**
 * Width and height from an image's leading bytes only, without decoding pixels. Null when the
 * header lies beyond them (a TIFF may keep its directory at the end); the preprocess worker's own
 * pixel limit still applies to such files.
 */
export async function readDimensions(format: ImageFormat, head: Buffer): Promise<Dimensions | null> {
  // libvips as bundled with sharp has no BMP loader: the headers are read as the decoder reads them.
  if (format === "bmp") {
    try {
      const { width, signedHeight } = readBmpHeader(head);
      return { width, height: Math.abs(signedHeight) };
    } catch (error) {
      if (error instanceof InvalidBmpError) return null;
      throw error;
    }
  }
  try {
    const { width, height } = await sharp(head, { limitInputPixels: false }).metadata();
    return width && height ? { width, height } : null;
  } catch {
    return null;
  }
}
