import { CommonEnv, parseEnv } from "@leukoflow/shared";
import { z } from "zod";

export const PreprocessEnv = CommonEnv.extend({
  /** Jobs handled at once; sharp decodes on libuv's thread pool, so about one per core. */
  PREPROCESS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Largest decoded image accepted, in pixels, so a forged header cannot exhaust memory. */
  MAX_INPUT_PIXELS: z.coerce.number().int().positive().default(100_000_000),
});
export type PreprocessEnv = z.infer<typeof PreprocessEnv>;

export function loadPreprocessEnv(source: NodeJS.ProcessEnv = process.env): PreprocessEnv {
  return parseEnv(PreprocessEnv, source);
}
