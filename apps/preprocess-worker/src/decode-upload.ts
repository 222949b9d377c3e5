import { decodeBmp, type RgbImage } from "@leukoflow/imaging";
import { InvalidImageError, sniffImageFormat, SNIFF_BYTES } from "@leukoflow/shared";
import sharp, { type ResizeOptions, type Sharp } from "sharp";

export interface DecodedUpload {
  /** 8-bit sRGB, EXIF orientation applied, transparency flattened onto white. */
  image: RgbImage;
  format: string;
}

export interface ResizedUpload extends DecodedUpload {
  /** The upload's own size, as oriented. */
  width: number;
  height: number;
}

/**
 * Decodes JPEG, PNG, WebP, TIFF (first page) and BMP into 8-bit sRGB. sharp reads all but BMP,
 * which decodeBmp reads. Grey becomes RGB, 16-bit samples are scaled to 8, and alpha is flattened
 * onto white because a smear's background is bright glass. Anything undecodable is an InvalidImageError.
 */
export function decodeUpload(bytes: Uint8Array, maxInputPixels: number): Promise<DecodedUpload> {
  return asInvalidImage(async () => {
    const { pipeline, format } = await openUpload(bytes, maxInputPixels);
    return { image: await rawImage(pipeline), format };
  });
}

/** decodeUpload and a resize to `size`×`size`, in one pass: the whole decoded image is never made. */
export function decodeUploadResized(
  bytes: Uint8Array,
  maxInputPixels: number,
  size: number,
  fit: ResizeOptions,
): Promise<ResizedUpload> {
  return asInvalidImage(async () => {
    const { pipeline, format } = await openUpload(bytes, maxInputPixels);
    const { autoOrient } = await pipeline.metadata();
    return { image: await rawImage(pipeline.resize(size, size, fit)), format, ...autoOrient };
  });
}

async function openUpload(bytes: Uint8Array, maxInputPixels: number): Promise<{ pipeline: Sharp; format: string }> {
  const sniffed = sniffImageFormat(bytes.subarray(0, SNIFF_BYTES));
  let pipeline: Sharp;
  if (sniffed === "bmp") {
    const bmp = decodeBmp(bytes, maxInputPixels);
    pipeline = sharp(bmp.data, { raw: { width: bmp.width, height: bmp.height, channels: bmp.channels } });
  } else {
    pipeline = sharp(bytes, { limitInputPixels: maxInputPixels, failOn: "error", page: 0, pages: 1 });
  }
  const format = sniffed ?? (await pipeline.metadata()).format;
  return { pipeline: pipeline.rotate().flatten({ background: "#ffffff" }).toColourspace("srgb"), format };
}

async function rawImage(pipeline: Sharp): Promise<RgbImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

async function asInvalidImage<T>(decode: () => Promise<T>): Promise<T> {
  try {
    return await decode();
  } catch (error) {
    throw new InvalidImageError(`Cannot decode image: ${(error as Error).message}`, { cause: error });
  }
}
