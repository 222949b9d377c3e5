import { metricsServerEnv } from "@leukoflow/observability";
import { CommonEnv, parseEnv } from "@leukoflow/shared";
import { z } from "zod";

export const PreprocessEnv = CommonEnv.extend({
  /**
   * Jobs handled at once, and threads rendering review images: each image gets one libvips thread,
   * so about one per core. The hot path's pixel work is sharp's, on libuv's pool (UV_THREADPOOL_SIZE,
   * default 4): raise that above 4 in the process environment when this is higher.
   */
  PREPROCESS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Largest decoded image accepted, in pixels, so a forged header cannot exhaust memory. */
  MAX_INPUT_PIXELS: z.coerce.number().int().positive().default(100_000_000),
  /** How the whole image becomes a square: crop its centre, or fit it whole and pad (letterbox). */
  PREPROCESS_FIT: z.enum(["crop", "letterbox"]).default("crop"),
}).extend(metricsServerEnv(9464).shape);
export type PreprocessEnv = z.infer<typeof PreprocessEnv>;

export function loadPreprocessEnv(source: NodeJS.ProcessEnv = process.env): PreprocessEnv {
  return parseEnv(PreprocessEnv, source);
}
