export type ImageFormat = "jpeg" | "png" | "tiff" | "bmp" | "webp";

/** Bytes the sniffer needs to tell every supported format apart. */
export const SNIFF_BYTES = 12;

/**
 * Identifies an image by its leading bytes, never by its file name or claimed content type.
 * Hand-written rather than file-type's: five signatures in the first 12 bytes, checked synchronously
 * on an upload stream's first chunk, where file-type reads up to 4 KB asynchronously to tell apart
 * hundreds of formats that would be refused anyway.
 */
export function sniffImageFormat(head: Uint8Array): ImageFormat | null {
  const startsWith = (bytes: number[], offset = 0) => bytes.every((byte, i) => head[offset + i] === byte);
  if (startsWith([0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith([0x49, 0x49, 0x2a, 0x00]) || startsWith([0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (startsWith([0x42, 0x4d]) && head.length >= 6) return "bmp";
  if (startsWith([0x52, 0x49, 0x46, 0x46]) && startsWith([0x57, 0x45, 0x42, 0x50], 8)) return "webp";
  return null;
}

export const CONTENT_TYPES: Record<ImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  tiff: "image/tiff",
  bmp: "image/bmp",
  webp: "image/webp",
};
