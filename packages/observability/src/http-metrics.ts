import { Counter } from "prom-client";
import type { PipelineMetrics } from "./pipeline-metrics.js";

/** `leukoflow_http_responses_total{method,route,status}` for a process that serves an API. */
export function httpResponsesCounter(metrics: PipelineMetrics): Counter<"method" | "route" | "status"> {
  return new Counter({
    name: "leukoflow_http_responses_total",
    help: "HTTP responses by route and status code",
    labelNames: ["method", "route", "status"],
    registers: [metrics.registry],
  });
}
