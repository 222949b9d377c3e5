import sharp from "sharp";
import { runInParallel } from "./run-in-parallel.js";

/**
 * Seconds bare sharp takes to decode and resize every input to the model's `size`×`size`, one image
 * in flight per core and libvips single-threaded, after a warm-up on the first 50.
 */
export async function bareSharpDecodeResizeSeconds(
  inputs: readonly Buffer[],
  cores: number,
  size: number,
): Promise<number> {
  sharp.concurrency(1);
  for (const bytes of inputs.slice(0, 50)) await sharp(bytes).resize(size, size).raw().toBuffer();
  return runInParallel(inputs, cores, (bytes) => sharp(bytes).resize(size, size, { fit: "cover" }).raw().toBuffer());
}
