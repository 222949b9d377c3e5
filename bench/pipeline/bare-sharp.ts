import sharp from "sharp";
import { runInParallel } from "./run-in-parallel.js";

export interface BareSharpRun {
  /** Wall-clock seconds for every input. */
  seconds: number;
  /** This process's CPU (every thread: the event loop, libuv's pool, libvips') per image. */
  cpuMsPerImage: number;
}

/**
 * Bare sharp decoding and resizing every input to the model's `size`×`size`, one image in flight
 * per core and libvips single-threaded, after a warm-up on the first 50.
 */
export async function bareSharpDecodeResize(
  inputs: readonly Buffer[],
  cores: number,
  size: number,
): Promise<BareSharpRun> {
  sharp.concurrency(1);
  for (const bytes of inputs.slice(0, 50)) await sharp(bytes).resize(size, size).raw().toBuffer();
  const cpu = process.cpuUsage();
  const seconds = await runInParallel(inputs, cores, (bytes) =>
    sharp(bytes).resize(size, size, { fit: "cover" }).raw().toBuffer(),
  );
  const { user, system } = process.cpuUsage(cpu);
  return { seconds, cpuMsPerImage: (user + system) / 1000 / inputs.length };
}
