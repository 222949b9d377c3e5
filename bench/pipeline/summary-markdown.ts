import type { PipelineBenchResult } from "./pipeline-bench-result.js";

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** The figures of one run as a Markdown table, with what each one compares. */
export function summaryMarkdown(result: PipelineBenchResult): string {
  const { figures, details, machine, settings } = result;
  const [one, two] = details.scaling;
  const rows: [string, number, string][] = [
    [
      "pipelineEfficiency",
      figures.pipelineEfficiency,
      `${round(one!.classifiedImagesPerSecond)} classified images/s end to end (one worker process of each kind) ÷ ${round(details.bareModel.imagesPerSecond)} images/s of the bare model (${details.bareModel.engines.join(", ")}, batch ${details.bareModel.batchSize}, its fastest of ${details.bareModel.byBatchSize.map((row) => row.batchSize).join("/")}, TTA ${settings.tta})`,
    ],
    [
      "batchingGain",
      figures.batchingGain,
      `${round(details.inference.tunedImagesPerSecond)} images/s (max batch ${settings.tuned.maxBatchSize}, delay ${settings.tuned.maxQueueDelayMs} ms) ÷ ${round(details.inference.batchOfOneImagesPerSecond)} images/s (max batch 1)`,
    ],
    [
      "preprocessEfficiency",
      figures.preprocessEfficiency,
      `${round(details.preprocess.workerImagesPerSecondPerCore)} images/s per core (preprocess worker; its CPU work alone ${round(details.preprocess.modelInputImagesPerSecondPerCore)}) ÷ ${round(details.preprocess.bareSharpImagesPerSecondPerCore)} (bare sharp decode+resize)`,
    ],
    [
      "ingestUploadsPerSecond",
      figures.ingestUploadsPerSecond,
      `${details.ingest.connections} connections, ${details.ingest.seconds} s, ${round(details.ingest.meanUploadBytes / 1024, 0)} KB PNGs, ${details.ingest.non2xx} non-2xx`,
    ],
    ["ingestP99Ms", figures.ingestP99Ms, `p50 ${details.ingest.p50Ms} ms`],
    [
      "e2eP50Ms",
      figures.e2eP50Ms,
      `${details.latency.images} images at ${round(details.latency.uploadsPerSecond)} uploads/s`,
    ],
    ["e2eP95Ms", figures.e2eP95Ms, "same run"],
    [
      "workers2vs1",
      figures.workers2vs1,
      `${round(two!.classifiedImagesPerSecond)} ÷ ${round(one!.classifiedImagesPerSecond)} classified images/s (2 vs 1 worker processes of each kind; the curve: ${details.scaling.map((point) => `${point.workersOfEachKind} → ${round(point.classifiedImagesPerSecond)}`).join(", ")})`,
    ],
    [
      "onnxVsTfjs",
      figures.onnxVsTfjs,
      `scoring path, bare, batch ${details.scoring.onnx.batchSize}: ${round(details.scoring.onnx.imagesPerSecond)} images/s on ${details.scoring.onnx.engines.join(", ")} ÷ ${round(details.scoring.tfjs.byBatchSize.find((row) => row.batchSize === details.scoring.onnx.batchSize)!.imagesPerSecond)} on ${details.scoring.tfjs.engines.join(", ")} (CPU ${round(details.scoring.onnx.cpuMsPerImage, 1)} vs ${round(details.scoring.tfjs.byBatchSize.find((row) => row.batchSize === details.scoring.onnx.batchSize)!.cpuMsPerImage, 1)} ms/image)`,
    ],
    [
      "bareModelCpuMsPerImage",
      figures.bareModelCpuMsPerImage,
      `scores and Grad-CAM on ${details.bareModel.engines.join(", ")}, batch ${details.bareModel.batchSize}`,
    ],
    [
      "pipelineVsBareEngines",
      figures.pipelineVsBareEngines,
      `${round(one!.classifiedImagesPerSecond)} ÷ ${round(details.irreducible.imagesPerSecond)} images/s = ${machine.cores} cores ÷ (${round(details.irreducible.bareSharpCoreSecondsPerImage * 1000, 1)} ms bare sharp decode+resize + ${round(details.irreducible.engineScoringCoreSecondsPerImage * 1000, 1)} ms bare engine scoring, CPU per image)`,
    ],
    [
      "s3RequestsPerImage",
      figures.s3RequestsPerImage,
      `one worker of each kind, first upload to last prediction: ${Object.entries(one!.s3RequestsPerImage)
        .map(([method, perImage]) => `${method} ${round(perImage)}`)
        .join(", ")}`,
    ],
    [
      "preprocessCpuMsPerImage",
      figures.preprocessCpuMsPerImage,
      `the preprocess worker process alone on a backlog; end to end: ${Object.entries(one!.cpuMsPerImage)
        .map(([kind, ms]) => `${kind} ${round(ms, 1)} ms`)
        .join(", ")} per image`,
    ],
  ];
  const check = details.capacityModelCheck
    .map((row) => `${row.workersOfEachKind}: ${round(row.predictedOverMeasured)}`)
    .join(", ");
  return [
    `# Pipeline benchmark${settings.quick ? " (--quick)" : ""}`,
    "",
    `${result.measuredAt} · ${machine.cores} × ${machine.cpu} · Node ${machine.node} · load average ${machine.loadAverageAtStart.join(" ")} at start, ${machine.loadAverageAtEnd.join(" ")} at end`,
    "",
    "| figure | value | from |",
    "| --- | --- | --- |",
    ...rows.map(([name, value, from]) => `| ${name} | ${round(value)} | ${from} |`),
    "",
    `Capacity model (bench/capacity-model.ts), predicted ÷ measured per worker processes of each kind: ${check}`,
    "",
  ].join("\n");
}
