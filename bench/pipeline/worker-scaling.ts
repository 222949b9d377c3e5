import { startApp, type AppProcess } from "./app-process.js";
import type { NamedImage } from "./dataset-images.js";
import { waitForCount } from "./growth-rate.js";
import { startInferenceWorker, type BatchingSettings } from "./inference-batching.js";
import type { PipelineRun } from "./pipeline-run.js";

/** CPU milliseconds per classified image, per process kind, over the whole specimen (the workers idle before and after it). */
export interface CpuPerImage {
  preprocess: number;
  inference: number;
  ingest: number;
  /** The bench process: its s3rver (the object store) and the count polling. */
  objectStoreAndBench: number;
}

export interface ScalingPoint {
  workersOfEachKind: number;
  classifiedImagesPerSecond: number;
  cpuMsPerImage: CpuPerImage;
  /** Requests the object store answered from the first upload to the last prediction, per image, by method. */
  s3RequestsPerImage: Record<string, number>;
}

const cpuOf = (apps: AppProcess[]) => apps.reduce((sum, app) => sum + app.cpuSeconds(), 0);

/**
 * `n` preprocess and `n` inference worker processes (each with its default concurrency) on a
 * specimen of `images` uploaded at once: classified images/s while its predictions go from 20 % to
 * 90 % of them, and over the whole specimen (first upload to last prediction) each process kind's
 * CPU per image and the object store's requests per image. `whileRunning` measures more on the warm pipeline
 * before its workers stop.
 */
export async function measureScalingPoint<T>(
  run: PipelineRun,
  images: NamedImage[],
  n: number,
  batching: BatchingSettings,
  whileRunning: (point: ScalingPoint) => Promise<T>,
): Promise<{ point: ScalingPoint; extra: T }> {
  const preprocess = Array.from({ length: n }, () => startApp("preprocess-worker", run.env, "preprocess worker ready"));
  const inference = Array.from({ length: n }, () => startInferenceWorker(run, batching));
  try {
    // Starting a process (loading modules, the model) is not per-image work: it is done before the first upload.
    await Promise.all([...preprocess, ...inference].map((worker) => worker.ready));
    const sample = () => ({
      preprocess: cpuOf(preprocess),
      inference: cpuOf(inference),
      ingest: run.ingest.cpuSeconds(),
      bench: process.cpuUsage(),
      s3: run.services.s3Requests(),
    });
    const before = sample();
    const uploadedFrom = performance.now();
    const specimenId = await run.session.uploadAll(images);
    const total = await run.counts.images(specimenId);
    const count = run.counts.classified(specimenId);
    const start = await waitForCount(count, Math.round(total * 0.2), 600_000);
    const end = await waitForCount(count, Math.round(total * 0.9), 600_000);
    const last = await waitForCount(count, total, 600_000);
    const after = sample();

    // A window a single poll jumped across (a few large batches) has no rate of its own: the whole specimen's is taken.
    const rate =
      end.value > start.value
        ? (end.value - start.value) / ((end.at - start.at) / 1000)
        : total / ((last.at - uploadedFrom) / 1000);
    const msPerImage = (seconds: number) => (seconds * 1000) / total;
    const benchSeconds = (after.bench.user + after.bench.system - before.bench.user - before.bench.system) / 1e6;
    const point: ScalingPoint = {
      workersOfEachKind: n,
      classifiedImagesPerSecond: rate,
      cpuMsPerImage: {
        preprocess: msPerImage(after.preprocess - before.preprocess),
        inference: msPerImage(after.inference - before.inference),
        ingest: msPerImage(after.ingest - before.ingest),
        objectStoreAndBench: msPerImage(benchSeconds),
      },
      s3RequestsPerImage: Object.fromEntries(
        Object.entries(after.s3)
          .map(([method, requests]) => [method, (requests - (before.s3[method] ?? 0)) / total])
          .filter(([, perImage]) => perImage !== 0),
      ),
    };
    return { point, extra: await whileRunning(point) };
  } finally {
    await Promise.all([...preprocess, ...inference].map((app) => app.stop()));
  }
}
