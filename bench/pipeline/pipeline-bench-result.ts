import type { BareModelThroughput } from "./bare-model.js";
import type { EndToEndLatency } from "./end-to-end-latency.js";
import type { BatchingSettings } from "./inference-batching.js";
import type { IngestLoad } from "./ingest-load.js";
import type { PreprocessEfficiency } from "./preprocess-efficiency.js";

/** What bench/run.ts writes to bench/results/<name>.json; `figures` is also its last line of output. */
export interface PipelineBenchResult {
  measuredAt: string;
  machine: { cpu: string; cores: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  settings: { quick: boolean; model: string; tta: string; tuned: BatchingSettings };
  figures: {
    pipelineEfficiency: number;
    batchingGain: number;
    preprocessEfficiency: number;
    ingestUploadsPerSecond: number;
    ingestP99Ms: number;
    e2eP50Ms: number;
    e2eP95Ms: number;
    workers2vs1: number;
  };
  details: {
    bareModel: BareModelThroughput;
    inference: { batchOfOneImagesPerSecond: number; tunedImagesPerSecond: number };
    preprocess: PreprocessEfficiency;
    endToEnd: { oneWorkerImagesPerSecond: number; twoWorkersImagesPerSecond: number };
    latency: EndToEndLatency;
    ingest: IngestLoad;
  };
}
