import { tmpdir } from "node:os";
import path from "node:path";
import { metricsServerEnv } from "@leukoflow/observability";
import { CommonEnv, parseEnv } from "@leukoflow/shared";
import { z } from "zod";

export const InferenceEnv = CommonEnv.extend({
  INFERENCE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(4),
  /** auto tries tensorflow-gpu, then tensorflow, then wasm, then cpu. */
  TF_BACKEND: z.enum(["auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu"]).default("auto"),
  MODEL_CACHE_DIR: z.string().default(path.join(tmpdir(), "leukoflow-models")),
}).extend(metricsServerEnv(9465).shape);
export type InferenceEnv = z.infer<typeof InferenceEnv>;

export function loadInferenceEnv(source: NodeJS.ProcessEnv = process.env): InferenceEnv {
  return parseEnv(InferenceEnv, source);
}
