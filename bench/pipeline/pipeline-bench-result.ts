import type { BareModelThroughput } from "./bare-model.js";
import type { EndToEndLatency } from "./end-to-end-latency.js";
import type { BatchingSettings } from "./inference-batching.js";
import type { IngestLoad } from "./ingest-load.js";
import type { PreprocessEfficiency } from "./preprocess-efficiency.js";

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
  };
  details: {
    bareModel: BareModelThroughput;
    /** The scoring path alone on each engine, for onnxVsTfjs. */
    scoring: { onnx: BareModelThroughput; tfjs: BareModelThroughput };
    inference: { batchOfOneImagesPerSecond: number; tunedImagesPerSecond: number };
    preprocess: PreprocessEfficiency;
    endToEnd: { oneWorkerImagesPerSecond: number; twoWorkersImagesPerSecond: number };
    latency: EndToEndLatency;
    ingest: IngestLoad;
  };
}
