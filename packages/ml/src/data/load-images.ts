import { readFile } from "node:fs/promises";
import { decodeToModelInput, type ModelInputSpec } from "./decode-to-model-input.js";

const CONCURRENCY = 8;

/** Decodes files to model input (RGB HWC bytes), in order, a few at a time; `transform` changes each file's bytes first. */
export async function loadImages(
  paths: readonly string[],
  input: ModelInputSpec,
  transform?: (bytes: Buffer) => Promise<Buffer>,
): Promise<Uint8Array[]> {
  const images: Uint8Array[] = new Array<Uint8Array>(paths.length);
  for (let start = 0; start < paths.length; start += CONCURRENCY) {
    const chunk = paths.slice(start, start + CONCURRENCY);
    const decoded = await Promise.all(
      chunk.map(async (file) => {
        const bytes = await readFile(file);
        return decodeToModelInput(transform ? await transform(bytes) : bytes, input);
      }),
    );
    decoded.forEach((image, i) => (images[start + i] = image));
  }
  return images;
}
