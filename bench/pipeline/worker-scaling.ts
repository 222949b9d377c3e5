import { startApp, type AppProcess } from "./app-process.js";
import { commandsCpuSeconds, processCpuSeconds, type ThreadRole } from "./process-cpu.js";
import type { NamedImage } from "./dataset-images.js";
import { waitForCount } from "./growth-rate.js";
import { startInferenceWorker, type BatchingSettings } from "./inference-batching.js";
import type { PipelineRun } from "./pipeline-run.js";

/** CPU milliseconds per classified image, per process kind, over the whole specimen (the workers idle before and after it). */
export interface CpuPerImage {
  preprocess: number;
  inference: number;
  ingest: number;
  /** The run's s3rver process. */
  objectStore: number;
  /** Postgres's processes and redis-server (the machine's; nothing else uses them during a run). */
  databaseAndQueue: number;
  /** The bench process: the uploads (a lab's instruments, elsewhere in production) and the count polling. */
  loadGenerator: number;
}

export interface ScalingPoint {
  workersOfEachKind: number;
  classifiedImagesPerSecond: number;
  cpuMsPerImage: CpuPerImage;
  /** The workers' CPU per image by the role of the thread that spent it (their processes summed per kind). */
  workerThreadCpuMsPerImage: { preprocess: Record<ThreadRole, number>; inference: Record<ThreadRole, number> };
  /** Requests the object store answered from the first upload to the last prediction, per image, by method. */
  s3RequestsPerImage: Record<string, number>;
  /** Over the same span, per image, when the run counts them (`startBenchServices({ countRoundTrips })`). */
  roundTripsPerImage?: { postgresStatements: number; postgresRoundTrips: number; redisCommands: number };
}

const cpuOf = (apps: AppProcess[]) => apps.reduce((sum, app) => sum + app.cpuSeconds(), 0);
const threadCpuOf = (apps: AppProcess[]) => {
  const byRole = {} as Record<ThreadRole, number>;
  for (const app of apps)
    for (const [role, seconds] of Object.entries(app.threadCpuSeconds()) as [ThreadRole, number][])
      byRole[role] = (byRole[role] ?? 0) + seconds;
  return byRole;
};
const DATABASE_AND_QUEUE_COMMANDS = ["postgres", "redis-server"];

/**
 * `n` preprocess and `n` inference worker processes (each with its default concurrency) on a
 * specimen of `images` uploaded at once: classified images/s from 20 % of its predictions until
 * 90 % or until its last image is preprocessed, whichever comes first (the preprocess workers run
 * ahead, and once they are done inference has the cores alone, faster than the pipeline can go);
 * over the whole specimen (first upload to last prediction), each process kind's CPU per image and
 * the object store's requests per image. `whileRunning` measures more on the warm pipeline
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
    const sample = async () => ({
      preprocess: cpuOf(preprocess),
      inference: cpuOf(inference),
      preprocessThreads: threadCpuOf(preprocess),
      inferenceThreads: threadCpuOf(inference),
      ingest: run.ingest.cpuSeconds(),
      objectStore: processCpuSeconds(run.services.objectStorePid),
      databaseAndQueue: commandsCpuSeconds(DATABASE_AND_QUEUE_COMMANDS),
      bench: process.cpuUsage(),
      s3: await run.services.s3Requests(),
      roundTrips: run.services.roundTrips?.(),
    });
    const before = await sample();
    const uploadedFrom = performance.now();
    const specimenId = await run.session.uploadAll(images);
    const total = await run.counts.images(specimenId);
    const classified = run.counts.classified(specimenId);
    const preprocessed = run.counts.preprocessed(specimenId);
    const start = await waitForCount(classified, Math.round(total * 0.2), 600_000);
    let classifiedAtEnd = 0;
    const end = await waitForCount(
      async () => {
        const [done, ready] = await Promise.all([classified(), preprocessed()]);
        classifiedAtEnd = done;
        return ready >= total ? total : done;
      },
      Math.round(total * 0.9),
      600_000,
    );
    const last = await waitForCount(classified, total, 600_000);
    const after = await sample();

    // A window under a tenth of the images (one poll jumped across it, or preprocessing ended just after it began)
    // has no rate of its own: the whole specimen's is taken.
    const rate =
      classifiedAtEnd - start.value >= total * 0.1
        ? (classifiedAtEnd - start.value) / ((end.at - start.at) / 1000)
        : total / ((last.at - uploadedFrom) / 1000);
    const msPerImage = (seconds: number) => (seconds * 1000) / total;
    const threadMsPerImage = (from: Record<ThreadRole, number>, to: Record<ThreadRole, number>) =>
      Object.fromEntries(
        Object.entries(to).map(([role, seconds]) => [role, msPerImage(seconds - (from[role as ThreadRole] ?? 0))]),
      ) as Record<ThreadRole, number>;
    const benchSeconds = (after.bench.user + after.bench.system - before.bench.user - before.bench.system) / 1e6;
    const point: ScalingPoint = {
      workersOfEachKind: n,
      classifiedImagesPerSecond: rate,
      cpuMsPerImage: {
        preprocess: msPerImage(after.preprocess - before.preprocess),
        inference: msPerImage(after.inference - before.inference),
        ingest: msPerImage(after.ingest - before.ingest),
        objectStore: msPerImage(after.objectStore - before.objectStore),
        databaseAndQueue: msPerImage(after.databaseAndQueue - before.databaseAndQueue),
        loadGenerator: msPerImage(benchSeconds),
      },
      workerThreadCpuMsPerImage: {
        preprocess: threadMsPerImage(before.preprocessThreads, after.preprocessThreads),
        inference: threadMsPerImage(before.inferenceThreads, after.inferenceThreads),
      },
      s3RequestsPerImage: Object.fromEntries(
        Object.entries(after.s3)
          .map(([method, requests]) => [method, (requests - (before.s3[method] ?? 0)) / total])
          .filter(([, perImage]) => perImage !== 0),
      ),
    };
    if (before.roundTrips && after.roundTrips) {
      point.roundTripsPerImage = {
        postgresStatements: (after.roundTrips.postgres.statements - before.roundTrips.postgres.statements) / total,
        postgresRoundTrips: (after.roundTrips.postgres.roundTrips - before.roundTrips.postgres.roundTrips) / total,
        redisCommands: (after.roundTrips.redis.commands - before.roundTrips.redis.commands) / total,
      };
    }
    return { point, extra: await whileRunning(point) };
  } finally {
    await Promise.all([...preprocess, ...inference].map((app) => app.stop()));
  }
}
