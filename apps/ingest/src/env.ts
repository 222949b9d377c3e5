import { CommonEnv, parseEnv } from "@leukoflow/shared";
import { z } from "zod";

export const IngestEnv = CommonEnv.extend({
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  MAX_FILES_PER_REQUEST: z.coerce.number().int().positive().default(500),
});
export type IngestEnv = z.infer<typeof IngestEnv>;

export function loadIngestEnv(source: NodeJS.ProcessEnv = process.env): IngestEnv {
  return parseEnv(IngestEnv, source);
}
