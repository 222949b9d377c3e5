/**
 * How close the pipeline runs to its engine's limit, as ratios measured in one run on real Redis,
 * Postgres (a fresh database), an s3rver started in a process of its own, real smears and the model served by default
 * (models/default.json; `--model models/<name>` for another model or ensemble); the apps run as their built
 * processes (apps/<app>/dist/main.js).
 *
 * Dynamic batching is "tuned" to the batch size the served engine's scoring path (what the worker's
 * hot path runs; Grad-CAM is made when asked for) runs fastest at in this run, with the worker's
 * default queue delay.
 *
 *   npx tsx bench/run.ts [--quick] [--model models/<name>] [--engine onnx|tfjs]
 *     → bench/results/pipeline[-quick].json and .md; last line of output: the figures as JSON
 *   BENCH_CPU_PROFILE_DIR=<dir> also writes a V8 CPU profile of every app process it starts there.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { InferenceEnv } from "@leukoflow/inference-worker";
import { PreprocessEnv } from "@leukoflow/preprocess-worker";
import { defaultModelDir, modelInputSpec, resolveMembers } from "@leukoflow/ml";
import { measureBareModel } from "./pipeline/bare-model.js";
import { startBenchServices } from "./pipeline/bench-services.js";
import { ariaImages, uploadSizedPng } from "./pipeline/dataset-images.js";
import { measureEndToEndLatency, type EndToEndLatency } from "./pipeline/end-to-end-latency.js";
import {
  dropInferenceBacklog,
  measureBacklogClassifyRate,
  startInferenceWorker,
} from "./pipeline/inference-batching.js";
import { measureIngestLoad } from "./pipeline/ingest-load.js";
import type { PipelineBenchResult } from "./pipeline/pipeline-bench-result.js";
import { startPipelineRun } from "./pipeline/pipeline-run.js";
import { measurePreprocessEfficiency } from "./pipeline/preprocess-efficiency.js";
import { summaryMarkdown } from "./pipeline/summary-markdown.js";
import { predictImagesPerSecond, type WorkerParallelism } from "./pipeline/capacity-model.js";
import { measureScalingPoint, type ScalingPoint } from "./pipeline/worker-scaling.js";
import { modelsDir } from "@leukoflow/shared";

const { values } = parseArgs({
  options: { quick: { type: "boolean", default: false }, model: { type: "string" }, engine: { type: "string" } },
});
const SIZES = values.quick
  ? { bareModel: 32, batchSizes: [1, 4, 16], backlog: 64, endToEnd: 80, latency: 12, ingestSeconds: 5 }
  : { bareModel: 128, batchSizes: [1, 2, 4, 8, 16], backlog: 240, endToEnd: 240, latency: 100, ingestSeconds: 30 };
const INGEST_CONNECTIONS = 8;
/** Worker processes of each kind in the end-to-end steps. */
const WORKER_COUNTS = [1, 2, 4];
/** Uploads per second for the latency run, as a share of the measured end-to-end throughput: steady, below saturation. */
const LATENCY_LOAD = 0.5;
const MODEL_DIR = values.model ? path.resolve(values.model) : defaultModelDir(modelsDir());
const CORES = os.availableParallelism();
const { inputSize, stainNormalization } = modelInputSpec((await resolveMembers([MODEL_DIR]))[0]!.meta);
const tta = InferenceEnv.shape.INFERENCE_TTA.parse(undefined);
/** `--engine tfjs` takes every figure with the tfjs engine instead of the worker's default. */
const ENGINE = InferenceEnv.shape.INFERENCE_ENGINE.parse(values.engine);
const loadAverage = () => os.loadavg().map((load) => Number(load.toFixed(1)));
const started = performance.now();
const step = (message: string) => console.error(`» ${((performance.now() - started) / 1000).toFixed(0)} s: ${message}`);

const loadAverageAtStart = loadAverage();
const images = ariaImages(2 * SIZES.backlog + (WORKER_COUNTS.length + 1) * SIZES.endToEnd + SIZES.latency);
let used = 0;
/** Images no earlier measurement uploaded: ingest treats a repeated file in a lab as a duplicate. */
const fresh = (count: number) => images.slice(used, (used += count));

step(`bare model: ${SIZES.bareModel} images at batch sizes ${SIZES.batchSizes.join(", ")}, TTA ${tta}`);
const bareModel = await measureBareModel(MODEL_DIR, images.slice(0, SIZES.bareModel), SIZES.batchSizes, tta, {
  engine: ENGINE,
});
step("the worker's scoring path, bare, on ONNX Runtime and on tfjs: same images and batch sizes");
const scoring = {
  onnx: await measureBareModel(MODEL_DIR, images.slice(0, SIZES.bareModel), SIZES.batchSizes, tta, {
    engine: "onnx",
    work: "score",
  }),
  tfjs: await measureBareModel(MODEL_DIR, images.slice(0, SIZES.bareModel), SIZES.batchSizes, tta, {
    engine: "tfjs",
    work: "score",
  }),
};
/** At the batch size ONNX Runtime scores fastest at. */
const tfjsAtSameBatch = scoring.tfjs.byBatchSize.find((row) => row.batchSize === scoring.onnx.batchSize)!;
const parallelism: WorkerParallelism = {
  preprocess: PreprocessEnv.shape.PREPROCESS_CONCURRENCY.parse(undefined),
  inference: ENGINE === "onnx" ? InferenceEnv.shape.INFERENCE_THREADS.parse(undefined) : 1,
};
const engineScoring = ENGINE === "onnx" ? scoring.onnx : scoring.tfjs;
const tuned = {
  maxBatchSize: engineScoring.batchSize,
  maxQueueDelayMs: InferenceEnv.shape.INFERENCE_MAX_QUEUE_DELAY_MS.parse(undefined),
};

step("services: fresh database, s3rver, ingest");
const services = await startBenchServices();
const run = await startPipelineRun(services, MODEL_DIR, { INFERENCE_TTA: tta, INFERENCE_ENGINE: ENGINE });
try {
  step(`preprocess worker vs bare sharp: two specimens of ${SIZES.backlog} images`);
  const backlogImages = fresh(2 * SIZES.backlog);
  const backlog = [
    await run.session.uploadAll(backlogImages.slice(0, SIZES.backlog)),
    await run.session.uploadAll(backlogImages.slice(SIZES.backlog)),
  ];
  const preprocess = await measurePreprocessEfficiency(run, backlog, backlogImages, CORES, {
    inputSize,
    fit: "crop",
    stain: stainNormalization,
  });

  step("inference worker on the backlog: max batch 1 on the first specimen");
  const batchOfOneWorker = startInferenceWorker(run, { maxBatchSize: 1, maxQueueDelayMs: 0 });
  const warmup = 2 * Math.max(...SIZES.batchSizes);
  const batchOfOne = await measureBacklogClassifyRate(run, backlog[0]!, warmup);
  await batchOfOneWorker.stop();
  step(
    `inference worker on the backlog: max batch ${tuned.maxBatchSize}, delay ${tuned.maxQueueDelayMs} ms on the second`,
  );
  const tunedWorker = startInferenceWorker(run, tuned);
  let tunedRate: number;
  try {
    tunedRate = await measureBacklogClassifyRate(run, backlog[1]!, warmup);
    await dropInferenceBacklog(run);
  } finally {
    await tunedWorker.stop();
  }

  const scaling: ScalingPoint[] = [];
  let latency: EndToEndLatency | undefined;
  for (const n of WORKER_COUNTS) {
    step(`end to end, ${n} worker process(es) of each kind: ${SIZES.endToEnd} images`);
    const { point, extra } = await measureScalingPoint(
      run,
      fresh(SIZES.endToEnd),
      n,
      tuned,
      async ({ classifiedImagesPerSecond: rate }) => {
        if (n !== 1) return undefined;
        step(`latency: ${SIZES.latency} images at ${(rate * LATENCY_LOAD).toFixed(1)} uploads/s`);
        return measureEndToEndLatency(run, fresh(SIZES.latency), rate * LATENCY_LOAD);
      },
    );
    scaling.push(point);
    latency ??= extra;
  }
  if (!latency) throw new Error("the one-worker step measured no latency");
  const [oneWorker, twoWorkers] = scaling.map((point) => point.classifiedImagesPerSecond) as [number, number];

  step(`ingest under autocannon: ${INGEST_CONNECTIONS} connections, ${SIZES.ingestSeconds} s`);
  const pngs = await Promise.all(fresh(SIZES.endToEnd).map(uploadSizedPng));
  const ingest = await measureIngestLoad(run, pngs, INGEST_CONNECTIONS, SIZES.ingestSeconds);

  // The irreducible work per image on these cores, in CPU seconds: decode+resize (bare sharp) and the served engine's scoring path (bare).
  const irreducible = {
    bareSharpCoreSecondsPerImage: preprocess.bareSharpCpuMsPerImage / 1000,
    engineScoringCoreSecondsPerImage: engineScoring.cpuMsPerImage / 1000,
    imagesPerSecond: CORES / ((preprocess.bareSharpCpuMsPerImage + engineScoring.cpuMsPerImage) / 1000),
  };
  const capacityModelCheck = scaling.map((point) => {
    const n = point.workersOfEachKind;
    const predicted = predictImagesPerSecond(scaling[0]!.cpuMsPerImage, parallelism, {
      preprocessWorkers: n,
      inferenceWorkers: n,
      sharedCores: CORES,
    });
    return {
      workersOfEachKind: n,
      predictedImagesPerSecond: predicted,
      predictedOverMeasured: predicted / point.classifiedImagesPerSecond,
    };
  });
  const s3 = scaling[0]!.s3RequestsPerImage;

  const result: PipelineBenchResult = {
    measuredAt: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: CORES,
      node: process.version,
      loadAverageAtStart,
      loadAverageAtEnd: loadAverage(),
    },
    settings: { quick: values.quick, model: path.basename(MODEL_DIR), tta, engine: ENGINE, tuned },
    figures: {
      pipelineEfficiency: oneWorker / bareModel.imagesPerSecond,
      batchingGain: tunedRate / batchOfOne,
      preprocessEfficiency: preprocess.preprocessEfficiency,
      ingestUploadsPerSecond: ingest.uploadsPerSecond,
      ingestP99Ms: ingest.p99Ms,
      e2eP50Ms: latency.p50Ms,
      e2eP95Ms: latency.p95Ms,
      workers2vs1: twoWorkers / oneWorker,
      onnxVsTfjs: scoring.onnx.imagesPerSecond / tfjsAtSameBatch.imagesPerSecond,
      bareModelCpuMsPerImage: bareModel.cpuMsPerImage,
      pipelineVsBareEngines: oneWorker / irreducible.imagesPerSecond,
      s3RequestsPerImage: (s3.PUT ?? 0) + (s3.GET ?? 0),
      preprocessCpuMsPerImage: preprocess.workerCpuMsPerImage,
    },
    details: {
      bareModel,
      scoring,
      inference: { batchOfOneImagesPerSecond: batchOfOne, tunedImagesPerSecond: tunedRate },
      preprocess,
      scaling,
      parallelism,
      capacityModelCheck,
      irreducible,
      latency,
      ingest,
    },
  };
  const name = values.quick ? "pipeline-quick" : "pipeline";
  const resultsDir = path.join(import.meta.dirname, "results");
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(resultsDir, `${name}.md`), summaryMarkdown(result));
  console.log(summaryMarkdown(result));
  console.log(JSON.stringify({ ...result.figures, results: `bench/results/${name}.json` }));
} finally {
  await run.close();
  await services.close();
}
