import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** The metrics one LeukoFlow process exports; each process has its own registry. */
export interface PipelineMetrics {
  registry: Registry;
  /** Seconds a job spent in its processor, by stage (queue) and outcome. */
  jobDuration: Histogram<"stage" | "outcome">;
  /** Images per call to the classifier. */
  batchSize: Histogram;
  /** Seconds per call to the classifier. */
  inferenceLatency: Histogram;
  /** Failures by stage and error type (the error's class name). */
  errors: Counter<"stage" | "type">;
  /** 1 for the tfjs backend the process runs on. */
  activeBackend: Gauge<"backend">;
  /** 1 for each engine/device serving the model: onnx/cpu, onnx/cuda, tfjs/wasm… */
  inferenceEngine: Gauge<"engine">;
}

export function createPipelineMetrics(processName: string): PipelineMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry, prefix: "leukoflow_" });
  return {
    registry,
    jobDuration: new Histogram({
      name: "leukoflow_job_duration_seconds",
      help: "Time a job spent in its processor, by stage and outcome",
      labelNames: ["stage", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: "leukoflow_inference_batch_size",
      help: "Images per classifier call",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    inferenceLatency: new Histogram({
      name: "leukoflow_inference_latency_seconds",
      help: "Time per classifier call",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    errors: new Counter({
      name: "leukoflow_errors_total",
      help: "Failed jobs by stage and error type",
      labelNames: ["stage", "type"],
      registers: [registry],
    }),
    activeBackend: new Gauge({
      name: "leukoflow_active_backend",
      help: "1 for the tfjs backend this process runs on",
      labelNames: ["backend"],
      registers: [registry],
    }),
    inferenceEngine: new Gauge({
      name: "leukoflow_inference_engine",
      help: "1 for each engine/device serving the model (onnx/cpu, onnx/cuda, onnx/tensorrt, tfjs/<backend>)",
      labelNames: ["engine"],
      registers: [registry],
    }),
  };
}
