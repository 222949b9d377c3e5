import type { BoundingBox, RgbImage } from "@leukoflow/imaging";
import sharp, { type ResizeOptions, type Sharp } from "sharp";

/** Longest side segmentation and stain statistics work at; larger images are shrunk first. */
export const WORKING_MAX_SIDE = 1024;

export async function shrinkTo(image: RgbImage, maxSide: number): Promise<RgbImage> {
  if (Math.max(image.width, image.height) <= maxSide) return image;
  const { data, info } = await rawSharp(image)
    .resize(maxSide, maxSide, { fit: "inside" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** A square of `size`, from the whole image or one region of it. */
export async function resizeRaw(
  image: RgbImage,
  region: BoundingBox | undefined,
  size: number,
  options: ResizeOptions,
): Promise<RgbImage> {
  let pipeline = rawSharp(image);
  if (region)
    pipeline = pipeline.extract({ left: region.x, top: region.y, width: region.width, height: region.height });
  const data = await pipeline.resize(size, size, options).raw().toBuffer();
  return { width: size, height: size, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export async function encodePng(image: RgbImage): Promise<Uint8Array> {
  return rawSharp(image).png().toBuffer();
}

function rawSharp(image: RgbImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}
