import { tmpdir } from "node:os";
import path from "node:path";
import { LOW_CONFIDENCE_THRESHOLD } from "@leukoflow/contracts";
import { metricsServerEnv } from "@leukoflow/observability";
import { DEFAULT_ONNX_THREADS, INFERENCE_ENGINES, ONNX_PROVIDERS, TTA_MODES } from "@leukoflow/ml";
import { CommonEnv, parseEnv } from "@leukoflow/shared";
import { z } from "zod";

export const INFERENCE_ROLES = ["active", "shadow"] as const;

export const InferenceEnv = CommonEnv.extend({
  /**
   * active: classify and Grad-CAM jobs with the active version (the results labs see); shadow: only
   * the shadow-inference queue, with the version in shadow (`leukoflow models shadow`), into
   * ShadowPrediction. Run shadow workers as processes of their own, so the active path never waits on them.
   */
  INFERENCE_ROLE: z.enum(INFERENCE_ROLES).default("active"),
  /** Jobs in flight at once; a batch can only be as large as this, so keep it ≥ INFERENCE_MAX_BATCH_SIZE. */
  INFERENCE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** Most images per forward pass, gathered across concurrent jobs. */
  INFERENCE_MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(256).default(16),
  /** Longest the first image of a batch waits for others before the batch runs anyway. */
  INFERENCE_MAX_QUEUE_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(10),
  /** Test-time augmentation averaged into each prediction: none, flips (4 variants) or dihedral (8). */
  INFERENCE_TTA: z.enum(TTA_MODES).default("flips"),
  /** Below this winning probability an image is flagged low_confidence for review. */
  INFERENCE_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(LOW_CONFIDENCE_THRESHOLD),
  /** How often the served versions are re-read when the registry's notifications (which switch at once) were lost; a newly activated version is loaded without a restart. */
  MODEL_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  /** onnx: ONNX Runtime on the model's model.onnx (a version published without one is served by tfjs, said once in the log); tfjs: TensorFlow.js. */
  INFERENCE_ENGINE: z.enum(INFERENCE_ENGINES).default("onnx"),
  /** ONNX Runtime execution provider: auto (cuda where its libraries are installed, else cpu), tensorrt (then cuda, then cpu), cuda or cpu. */
  INFERENCE_PROVIDER: z.enum(ONNX_PROVIDERS).default("auto"),
  /** Intra-op threads of ONNX Runtime's cpu provider in this process (docs/benchmarks.md has the figures behind the default). */
  INFERENCE_THREADS: z.coerce.number().int().min(1).max(64).default(DEFAULT_ONNX_THREADS),
  /** tfjs backend (the engine with INFERENCE_ENGINE=tfjs, and the arithmetic around ONNX Runtime): auto tries tensorflow-gpu, then tensorflow, then wasm, then cpu. */
  TF_BACKEND: z.enum(["auto", "tensorflow-gpu", "tensorflow", "wasm", "cpu"]).default("auto"),
  MODEL_CACHE_DIR: z.string().default(path.join(tmpdir(), "leukoflow-models")),
}).extend(metricsServerEnv(9465).shape);
export type InferenceEnv = z.infer<typeof InferenceEnv>;

export function loadInferenceEnv(source: NodeJS.ProcessEnv = process.env): InferenceEnv {
  return parseEnv(InferenceEnv, source);
}
