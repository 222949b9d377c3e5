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
  // libvips as bundled with sharp has no BMP loader; its header is fixed-layout.
  if (format === "bmp") {
    return head.length >= 26 ? { width: Math.abs(head.readInt32LE(18)), height: Math.abs(head.readInt32LE(22)) } : null;
  }
  try {
    const { width, height } = await sharp(head, { limitInputPixels: false }).metadata();
    return width && height ? { width, height } : null;
  } catch {
    return null;
  }
}
