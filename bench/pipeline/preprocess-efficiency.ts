import { makeModelInput, type PreprocessingRecipe } from "@leukoflow/preprocess-worker";
import { startApp } from "./app-process.js";
import { bareSharpDecodeResize } from "./bare-sharp.js";
import type { NamedImage } from "./dataset-images.js";
import { waitForCount } from "./growth-rate.js";
import type { PipelineRun } from "./pipeline-run.js";
import { runInParallel } from "./run-in-parallel.js";

export interface PreprocessEfficiency {
  workerImagesPerSecondPerCore: number;
  /** The worker's CPU work alone (makeModelInput in this process), to tell compute from I/O and queueing. */
  modelInputImagesPerSecondPerCore: number;
  bareSharpImagesPerSecondPerCore: number;
  /** Bare sharp's CPU per image (every thread), the irreducible preprocessing. */
  bareSharpCpuMsPerImage: number;
  preprocessEfficiency: number;
  /** The worker process's user+system CPU per image between the same marks as its rate. */
  workerCpuMsPerImage: number;
}

/**
 * The preprocess worker process (S3 download, decode, model input, one S3 upload, row update,
 * classify job) on the already uploaded `images` of `specimenIds`, against bare sharp
 * decode+resize of the same files to the model's input size in this process, each with one image in
 * flight per core. The classify jobs it queues stay there for the inference measurements.
 */
export async function measurePreprocessEfficiency(
  run: PipelineRun,
  specimenIds: string[],
  images: NamedImage[],
  cores: number,
  recipe: PreprocessingRecipe,
): Promise<PreprocessEfficiency> {
  const inputs = images.map((image) => image.bytes);
  const perCore = (seconds: number) => inputs.length / seconds / cores;
  const bare = await bareSharpDecodeResize(inputs, cores, recipe.inputSize);
  const barePerCore = perCore(bare.seconds);
  const modelInputPerCore = perCore(
    await runInParallel(inputs, cores, (bytes) => makeModelInput(bytes, recipe, 100_000_000)),
  );

  const worker = startApp("preprocess-worker", { ...run.env, PREPROCESS_CONCURRENCY: String(cores) });
  try {
    const sum = (counts: number[]) => counts.reduce((a, b) => a + b, 0);
    const total = sum(await Promise.all(specimenIds.map((id) => run.counts.images(id))));
    const count = async () => sum(await Promise.all(specimenIds.map((id) => run.counts.preprocessed(id)())));
    const start = await waitForCount(count, Math.round(total * 0.1), 600_000);
    const cpuStart = worker.cpuSeconds();
    const end = await waitForCount(count, Math.round(total * 0.9), 600_000);
    const cpuEnd = worker.cpuSeconds();
    await waitForCount(count, total, 600_000);
    const workerPerCore = (end.value - start.value) / ((end.at - start.at) / 1000) / cores;
    return {
      workerImagesPerSecondPerCore: workerPerCore,
      modelInputImagesPerSecondPerCore: modelInputPerCore,
      bareSharpImagesPerSecondPerCore: barePerCore,
      bareSharpCpuMsPerImage: bare.cpuMsPerImage,
      preprocessEfficiency: workerPerCore / barePerCore,
      workerCpuMsPerImage: ((cpuEnd - cpuStart) * 1000) / (end.value - start.value),
    };
  } finally {
    await worker.stop();
  }
}
