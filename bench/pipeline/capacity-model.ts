import type { CpuPerImage } from "./worker-scaling.js";

/** How many cores one worker process of each kind can keep busy. */
export interface WorkerParallelism {
  /** PREPROCESS_CONCURRENCY threads. */
  preprocess: number;
  /** ONNX Runtime's intra-op threads (1 on tfjs wasm). */
  inference: number;
}

export interface Deployment {
  preprocessWorkers: number;
  inferenceWorkers: number;
  /** Cores every process of the deployment shares; Infinity when each worker has its own (a cluster). */
  sharedCores: number;
}

/**
 * Classified images per second a deployment sustains, from the per-image CPU costs measured end to
 * end: the slowest of the preprocess stage (its workers × the cores each can use ÷ its CPU per
 * image), the inference stage (likewise), and, when the processes share cores, those cores ÷ the CPU
 * every process on them spends per image (ingest, the object store, Postgres, Redis and the load
 * generator included). The network is taken as never the limit, which the check against measured
 * figures tests.
 */
export function predictImagesPerSecond(
  costs: CpuPerImage,
  parallelism: WorkerParallelism,
  deployment: Deployment,
): number {
  const preprocessStage =
    (deployment.preprocessWorkers * Math.min(parallelism.preprocess, deployment.sharedCores) * 1000) / costs.preprocess;
  const inferenceStage =
    (deployment.inferenceWorkers * Math.min(parallelism.inference, deployment.sharedCores) * 1000) / costs.inference;
  const allWork = Object.values(costs).reduce((sum, ms) => sum + ms, 0);
  const sharedLimit = (deployment.sharedCores * 1000) / allWork;
  return Math.min(preprocessStage, inferenceStage, sharedLimit);
}
