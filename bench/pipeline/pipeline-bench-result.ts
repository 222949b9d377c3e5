import type { BareModelThroughput } from "./bare-model.js";
import type { EndToEndLatency } from "./end-to-end-latency.js";
import type { BatchingSettings } from "./inference-batching.js";
import type { IngestLoad } from "./ingest-load.js";
import type { WorkerParallelism } from "./capacity-model.js";
import type { PreprocessEfficiency } from "./preprocess-efficiency.js";
import type { ScalingPoint } from "./worker-scaling.js";

/** What bench/run.ts writes to bench/results/<name>.json; `figures` is also its last line of output. */
export interface PipelineBenchResult {
  measuredAt: string;
  machine: { cpu: string; cores: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  settings: { quick: boolean; model: string; tta: string; engine: string; tuned: BatchingSettings };
  figures: {
    pipelineEfficiency: number;
    batchingGain: number;
    preprocessEfficiency: number;
    ingestUploadsPerSecond: number;
    ingestP99Ms: number;
    e2eP50Ms: number;
    e2eP95Ms: number;
    workers2vs1: number;
    /** The worker's scoring path (TTA, temperature softmax, OOD features), bare: images/s on ONNX Runtime ÷ on tfjs, same batch size. */
    onnxVsTfjs: number;
    /** CPU time per image of the bare model on the default engine (scores and Grad-CAM) at its fastest batch size. */
    bareModelCpuMsPerImage: number;
    /** End-to-end classified images/s ÷ what the cores do with only the irreducible work: cores ÷ (bare sharp decode+resize + bare engine scoring, CPU seconds per image, every thread). */
    pipelineVsBareEngines: number;
    /** PUT + GET the object store answered per image during the one-worker end-to-end step (uploads included). */
    s3RequestsPerImage: number;
    /** The preprocess worker process's CPU per image, on its own over a backlog. */
    preprocessCpuMsPerImage: number;
  };
  details: {
    bareModel: BareModelThroughput;
    /** The scoring path alone on each engine, for onnxVsTfjs. */
    scoring: { onnx: BareModelThroughput; tfjs: BareModelThroughput };
    inference: { batchOfOneImagesPerSecond: number; tunedImagesPerSecond: number };
    preprocess: PreprocessEfficiency;
    /** The end-to-end step with 1, 2 and 4 worker processes of each kind. */
    scaling: ScalingPoint[];
    /** Cores one worker process of each kind can use, for the capacity model (bench/capacity-model.ts). */
    parallelism: WorkerParallelism;
    /** The capacity model's prediction ÷ the measured rate, at each scaling point. */
    capacityModelCheck: {
      workersOfEachKind: number;
      predictedImagesPerSecond: number;
      predictedOverMeasured: number;
    }[];
    irreducible: {
      bareSharpCoreSecondsPerImage: number;
      engineScoringCoreSecondsPerImage: number;
      imagesPerSecond: number;
    };
    latency: EndToEndLatency;
    ingest: IngestLoad;
  };
}
